import { CombinedGraphQLErrors } from '@apollo/client/errors';

// Refusals that come back the same however often the subscription is sent again.
const PERMANENT_CODES = new Set([
  'UNAUTHENTICATED',
  'UNAUTHORIZED_FIELD_OR_TYPE',
  'FORBIDDEN',
  'NOT_FOUND',
  'BAD_USER_INPUT',
  'GRAPHQL_VALIDATION_FAILED',
  'GRAPHQL_PARSE_FAILED',
  'PERSISTED_QUERY_NOT_IN_LIST',
  'BAD_CURSOR',
]);

/**
 * Whether a subscription that ended with `error` is worth sending again: the gateway had no Kafka topic read yet
 * (SERVICE_UNAVAILABLE), reloaded its schema (SUBSCRIPTION_SCHEMA_RELOAD), dropped a slow subscriber
 * (SUBSCRIPTION_BUFFER_OVERFLOW), lost a subgraph stream, or the socket closed with a code graphql-ws does not retry.
 */
export function isTransientSubscriptionError(error: unknown): boolean {
  if (!CombinedGraphQLErrors.is(error)) return true;
  return !error.errors.some((e) => PERMANENT_CODES.has(String(e.extensions?.code ?? '')));
}

import { CombinedGraphQLErrors } from '@apollo/client/errors';
import { describe, expect, test } from 'vitest';
import { isTransientSubscriptionError } from '../src/apollo/resubscribe';

const graphQLError = (...codes: string[]) => new CombinedGraphQLErrors({ errors: codes.map((code) => ({ message: code, extensions: { code } })) });

describe('resubscribe policy', () => {
  test('Resubscribe_Should_Retry_When_GatewayHadNotReadTheTopicYetOrReloadedItsSchema', () => {
    // act
    const retried = ['SERVICE_UNAVAILABLE', 'SUBSCRIPTION_SCHEMA_RELOAD', 'SUBSCRIPTION_BUFFER_OVERFLOW', 'DOWNSTREAM_SERVICE_ERROR']
      .map((code) => isTransientSubscriptionError(graphQLError(code)));
    // assert
    expect(retried).toEqual([true, true, true, true]);
  });

  test('Resubscribe_Should_Retry_When_SocketClosedWithACodeGraphqlWsGivesUpOn', () => {
    // act
    const retried = isTransientSubscriptionError(new Error('Socket closed with event 1011 internal error'));
    // assert
    expect(retried).toBe(true);
  });

  test('Resubscribe_Should_NotRetry_When_TheCallerIsRefused', () => {
    // act
    const retried = ['UNAUTHORIZED_FIELD_OR_TYPE', 'UNAUTHENTICATED', 'PERSISTED_QUERY_NOT_IN_LIST', 'BAD_CURSOR']
      .map((code) => isTransientSubscriptionError(graphQLError('SERVICE_UNAVAILABLE', code)));
    // assert
    expect(retried).toEqual([false, false, false, false]);
  });
});

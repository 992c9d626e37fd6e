import type { ErrorLike } from '@apollo/client';
import { CombinedGraphQLErrors } from '@apollo/client/errors';

export type ResponsePath = readonly (string | number)[];

/**
 * Whether subgraph `service` failed for the value at `path`. The gateway reports a failed entity fetch at the
 * entity's path (above the field the subgraph adds) and a resolver error at the field or below it, each naming the
 * subgraph in `extensions.serviceName`; so an error counts when either path is a prefix of the other.
 */
export function failedAt(error: ErrorLike | undefined, service: string, path: ResponsePath): boolean {
  if (!CombinedGraphQLErrors.is(error)) return false;
  return error.errors.some((e) => e.extensions?.serviceName === service && related(e.path ?? [], path));
}

function related(a: ResponsePath, b: ResponsePath): boolean {
  const shared = Math.min(a.length, b.length);
  for (let i = 0; i < shared; i++) if (a[i] !== b[i]) return false;
  return true;
}

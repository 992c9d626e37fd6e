import type { ErrorLike } from '@apollo/client';
import { CombinedGraphQLErrors } from '@apollo/client/errors';
import type { ReactNode } from 'react';

export function Loading({ what }: { what: string }) {
  return <p className="state loading" role="status">Loading {what}…</p>;
}

export function Empty({ children }: { children: ReactNode }) {
  return <p className="state empty">{children}</p>;
}

/** Lists each GraphQL error with its path, so a partial page says which part is missing. */
/** Stands in for one part of a page whose subgraph did not answer; the rest of the page renders as usual. */
export function Unavailable({ what }: { what: string }) {
  return <span className="state unavailable" role="note" data-testid="unavailable">{what} unavailable right now.</span>;
}

export function ErrorBanner({ error, onRetry }: { error: ErrorLike | undefined; onRetry?: () => void }) {
  if (!error) return null;
  const messages = CombinedGraphQLErrors.is(error)
    ? error.errors.map((e) => (e.path?.length ? `${e.path.join('.')}: ${e.message}` : e.message))
    : [error.message];
  return (
    <div className="state error" role="alert">
      <strong>Some data could not be loaded.</strong>
      <ul>{messages.map((m, i) => <li key={i}>{m}</li>)}</ul>
      {onRetry && <button onClick={onRetry}>Retry</button>}
    </div>
  );
}

export function UserErrors({ errors }: { errors: readonly { code: string; message: string }[] | undefined }) {
  if (!errors?.length) return null;
  return (
    <ul className="state error" role="alert">
      {errors.map((e, i) => <li key={i} data-code={e.code}>{e.message}</li>)}
    </ul>
  );
}

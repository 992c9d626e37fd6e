import type { ErrorLike } from '@apollo/client';
import type { ReactNode } from 'react';
import { describeError } from './errors';

export function Loading({ what }: { what: string }) {
  return <p className="state loading" role="status">Loading {what}…</p>;
}

export function Empty({ children }: { children: ReactNode }) {
  return <p className="state empty">{children}</p>;
}

/** Stands in for one part of a page whose subgraph did not answer; the rest of the page renders as usual. */
export function Unavailable({ what }: { what: string }) {
  return <span className="state unavailable" role="note" data-testid="unavailable">{what} unavailable right now.</span>;
}

/** Says what went wrong and what to do, in words for people (see describeError), with a retry when the page has one. */
export function ErrorBanner({ error, onRetry }: { error: ErrorLike | undefined; onRetry?: () => void }) {
  if (!error) return null;
  const { title, details, action } = describeError(error);
  return (
    <div className="state error" role="alert">
      <strong>{title}</strong>
      {details.length > 0 && <ul>{details.map((m, i) => <li key={i}>{m}</li>)}</ul>}
      <p className="action">{action}</p>
      {onRetry && <button onClick={onRetry}>Try again</button>}
    </div>
  );
}

export function UserErrors({ errors }: { errors: readonly { code: string; message: string }[] | undefined }) {
  if (!errors?.length) return null;
  return (
    // The alert role goes on a wrapper: on the list itself it would hide the list from assistive technology.
    <div className="state error" role="alert">
      <ul>{errors.map((e, i) => <li key={i} data-code={e.code}>{e.message}</li>)}</ul>
    </div>
  );
}

import type { ErrorLike } from '@apollo/client';
import { CombinedGraphQLErrors, CombinedProtocolErrors, ServerError, ServerParseError } from '@apollo/client/errors';

/** What a shopper reads instead of a raw error: what happened, and what to do about it. */
export interface ErrorDescription {
  title: string;
  /** Specific reasons, already phrased for people (never a bare "Failed to fetch" or status line). */
  details: string[];
  action: string;
}

const TRY_AGAIN = 'Try again in a moment; if it keeps happening, reload the page.';

// The parts of the store each subgraph serves, for "… is not available right now".
const SERVICE_LABELS: Record<string, string> = {
  accounts: 'Account details',
  catalog: 'The product catalog',
  inventory: 'Stock levels',
  orders: 'Orders',
  payments: 'Payment details',
  reviews: 'Reviews',
  notifications: 'Notifications',
  alerting: 'Alerts',
};

function describeGraphQLError(e: { message: string; extensions?: Record<string, unknown> }): string {
  const code = typeof e.extensions?.code === 'string' ? e.extensions.code : '';
  const service = typeof e.extensions?.serviceName === 'string' ? e.extensions.serviceName : '';
  if (code === 'UNAUTHENTICATED') return 'You are not signed in, or your session has ended.';
  if (code === 'FORBIDDEN' || code === 'UNAUTHORIZED_FIELD_OR_TYPE') return 'Your account is not allowed to see this.';
  if (service) return `${SERVICE_LABELS[service] ?? `The ${service} service`} could not be loaded right now.`;
  if (/^(INTERNAL_SERVER_ERROR|DOWNSTREAM_SERVICE_ERROR|SUBREQUEST_HTTP_ERROR)$/.test(code)) return 'The store had a problem answering part of this page.';
  // Messages the API writes for callers (validation, limits) are already sentences.
  return e.message;
}

/**
 * Turns anything Apollo Client reports into a message for people. The gateway's GraphQL errors keep their
 * meaning (signed out, not allowed, which part of the store failed); transport failures say what happened
 * (no connection, the server failed with a status) and what to do, never the browser's raw text.
 */
export function describeError(error: ErrorLike): ErrorDescription {
  if (CombinedGraphQLErrors.is(error)) {
    const details = [...new Set(error.errors.map(describeGraphQLError))];
    const signedOut = error.errors.some((e) => e.extensions?.code === 'UNAUTHENTICATED');
    return {
      title: error.data ? 'Part of this page could not be loaded.' : 'This page could not be loaded.',
      details,
      action: signedOut ? 'Sign in again, then retry.' : TRY_AGAIN,
    };
  }
  if (ServerError.is(error)) {
    const status = error.statusCode;
    if (status === 429) return { title: 'The store is busy.', details: ['Too many requests were sent in a short time.'], action: 'Wait a few seconds, then try again.' };
    if (status === 401) return { title: 'Your session has ended.', details: [], action: 'Sign in again, then retry.' };
    if (status === 403) return { title: 'This request was refused.', details: ['Your account is not allowed to do this.'], action: 'Sign in with an account that may, or go back.' };
    if (status >= 500) return { title: 'The store is having trouble right now.', details: [`Its server answered with an error (HTTP ${status}).`], action: TRY_AGAIN };
    return { title: 'The store could not handle this request.', details: [`It answered HTTP ${status}.`], action: 'Reload the page and try again.' };
  }
  if (ServerParseError.is(error)) {
    return { title: 'The store sent an answer this page could not read.', details: [], action: TRY_AGAIN };
  }
  if (CombinedProtocolErrors.is(error)) {
    return { title: 'The live connection to the store was interrupted.', details: [], action: TRY_AGAIN };
  }
  // fetch() rejects with a TypeError ("Failed to fetch", "NetworkError when attempting to fetch resource",
  // "Load failed") when the request never got an answer.
  if (error.name === 'TypeError' || /fetch|network|load failed/i.test(error.message)) {
    return { title: 'The store could not be reached.', details: [], action: 'Check your internet connection, then try again.' };
  }
  if (error.name === 'AbortError') return { title: 'The request took too long and was stopped.', details: [], action: TRY_AGAIN };
  return { title: 'Something went wrong.', details: [], action: TRY_AGAIN };
}

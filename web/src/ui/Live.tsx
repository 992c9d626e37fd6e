import type { OperationVariables, TypedDocumentNode } from '@apollo/client';
import { useSubscription } from '@apollo/client/react';
import { createContext, useContext, useEffect, useSyncExternalStore } from 'react';
import { LiveStatusStore, pollIntervalFor, type LiveStatus } from '../apollo/liveStatus';
import { isTransientSubscriptionError } from '../apollo/resubscribe';

export const RESUBSCRIBE_MS = 5_000;

// Without a live connection (tests, or a client built without one) pages poll as they always could.
const offline = new LiveStatusStore({ graceMs: 0 });
offline.dispatch({ type: 'connecting' });
offline.dispatch({ type: 'closed', code: 0, subscribed: true });

export const LiveStatusContext = createContext<LiveStatusStore>(offline);

export function useLiveStatus(): LiveStatus {
  const store = useContext(LiveStatusContext);
  return useSyncExternalStore(store.subscribe, store.get, store.get);
}

// A subscription the gateway ended with an error (no Kafka, a refused field) delivers nothing more: poll instead.
function useEffectiveStatus(subscriptionError: unknown): LiveStatus {
  const status = useLiveStatus();
  return subscriptionError ? 'down' : status;
}

/**
 * The poll interval a page uses: none while its subscriptions deliver, `intervalMs` while the socket is down or
 * one of them failed (`subscriptionError`).
 */
export function useFallbackPolling(intervalMs: number, subscriptionError?: unknown): number {
  return pollIntervalFor(useEffectiveStatus(subscriptionError), intervalMs);
}

/** Says whether the page updates live or, while the socket is down, how often it refreshes instead. */
export function LiveNotice({ intervalMs, error }: { intervalMs: number; error?: unknown }) {
  const status = useEffectiveStatus(error);
  if (status === 'down') {
    return <p className="live-notice down" role="status" data-testid="live-status" data-status={status}>Live updates unavailable — refreshing every {intervalMs / 1000} s</p>;
  }
  return <p className="live-notice" data-testid="live-status" data-status={status}>{status === 'live' ? '● Live' : 'Connecting for live updates…'}</p>;
}

/**
 * useSubscription that sends the subscription again RESUBSCRIBE_MS after it ended with a transient error; meanwhile
 * its `error` is set, so the page polls (useFallbackPolling) and says so (LiveNotice).
 */
export function useLiveSubscription<TData, TVariables extends OperationVariables>(
  document: TypedDocumentNode<TData, TVariables>,
  options: useSubscription.Options<TData, TVariables>,
): useSubscription.Result<TData> {
  // Widened to OperationVariables: useSubscription's rest-tuple overload cannot be forwarded generically.
  const result = useSubscription<TData, OperationVariables>(document, options as useSubscription.Options<TData, OperationVariables>);
  const { error, restart } = result;
  useEffect(() => {
    if (!error || options.skip || !isTransientSubscriptionError(error)) return;
    const timer = setTimeout(restart, RESUBSCRIBE_MS);
    return () => clearTimeout(timer);
  }, [error, restart, options.skip]);
  return result;
}

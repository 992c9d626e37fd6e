import { useEffect, useMemo, useState } from 'react';
import { graphql } from '../__generated__';
import { useLiveSubscription } from '../ui/Live';
import { debounce } from './eventRefresh';

const EVENT_QUIET_MS = 1_000;
const EVENT_MAX_WAIT_MS = 5_000;

// Every checkout reserves stock and every payment outcome ships or releases it, so stock events are the dashboard's
// heartbeat for orders and payments as well as for stock.
const StockChangedSubscription = graphql(`
  subscription DashboardStockChanged {
    stockChanged { id stock { available onHand reserved } }
  }
`);

/**
 * `version` grows after each burst of stock events (see debounce); panels refetch when it changes. `error`: the
 * subscription ended with an error, so panels poll instead.
 */
export function useDashboardEvents(): { version: number; error: unknown } {
  const [version, setVersion] = useState(0);
  const refresh = useMemo(() => debounce(() => setVersion((v) => v + 1), EVENT_QUIET_MS, EVENT_MAX_WAIT_MS), []);
  useEffect(() => refresh.cancel, [refresh]);
  const stock = useLiveSubscription(StockChangedSubscription, { onData: () => refresh() });
  return { version, error: stock.error };
}

/** Refetches a panel's query each time `version` grows (not on mount: the query has just loaded). */
export function useRefetchOn(version: number, refetch: () => Promise<unknown>): void {
  useEffect(() => {
    if (version > 0) void refetch();
  }, [version]);
}

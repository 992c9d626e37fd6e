/**
 * Whether subscriptions are being delivered over the WebSocket, so pages know when to fall back to polling.
 *
 * - `idle`: no socket, because no page subscribes to anything (graphql-ws connects lazily);
 * - `connecting`: the first socket is being opened;
 * - `live`: the gateway acknowledged `connection_init`; subscriptions deliver events;
 * - `reconnecting`: a live socket closed and graphql-ws is opening a new one;
 * - `down`: a socket could not be opened or acknowledged, or a reconnect took longer than the grace period.
 *   graphql-ws keeps retrying with backoff, and the first acknowledged socket makes the status `live` again.
 */
export type LiveStatus = 'idle' | 'connecting' | 'live' | 'reconnecting' | 'down';

export type LiveEvent =
  | { type: 'connecting' }
  | { type: 'connected' }
  | { type: 'closed'; code: number; subscribed: boolean }
  | { type: 'error' }
  | { type: 'graceElapsed' };

// RFC 6455 normal closure: graphql-ws closes an idle socket this way once the last subscription ends.
const NORMAL_CLOSURE = 1000;

export function nextLiveStatus(status: LiveStatus, event: LiveEvent): LiveStatus {
  switch (event.type) {
    case 'connecting':
      return status === 'idle' ? 'connecting' : status;
    case 'connected':
      return 'live';
    case 'closed':
      if (event.code === NORMAL_CLOSURE && !event.subscribed) return 'idle';
      // A first socket that never got its acknowledgement is an outage right away; a live one that drops gets the
      // grace period (failed attempts within it included), so a gateway restart or an expired token does not
      // flash the fallback notice.
      if (status === 'live') return 'reconnecting';
      return status === 'reconnecting' ? status : 'down';
    case 'error':
      return status === 'connecting' ? 'down' : status;
    case 'graceElapsed':
      return status === 'connecting' || status === 'reconnecting' ? 'down' : status;
  }
}

/** Only an outage polls: while connecting or reconnecting the subscriptions are about to deliver. */
export function pollIntervalFor(status: LiveStatus, intervalMs: number): number {
  return status === 'down' ? intervalMs : 0;
}

type Timer = ReturnType<typeof setTimeout>;

export interface LiveStatusStoreOptions {
  /** How long `connecting` or `reconnecting` may last before the pages fall back to polling. */
  graceMs: number;
  setTimer?: (callback: () => void, ms: number) => Timer;
  clearTimer?: (timer: Timer) => void;
}

/** The status as an external store for React's useSyncExternalStore, fed with the graphql-ws client's events. */
export class LiveStatusStore {
  private status: LiveStatus = 'idle';
  private readonly listeners = new Set<() => void>();
  private timer: Timer | undefined;
  private readonly setTimer: (callback: () => void, ms: number) => Timer;
  private readonly clearTimer: (timer: Timer) => void;

  constructor(private readonly options: LiveStatusStoreOptions) {
    this.setTimer = options.setTimer ?? ((callback, ms) => setTimeout(callback, ms));
    this.clearTimer = options.clearTimer ?? ((timer) => clearTimeout(timer));
  }

  get = (): LiveStatus => this.status;

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  dispatch(event: LiveEvent): void {
    const next = nextLiveStatus(this.status, event);
    if (next === this.status) return;
    this.status = next;
    if (this.timer !== undefined) this.clearTimer(this.timer);
    this.timer = next === 'connecting' || next === 'reconnecting'
      ? this.setTimer(() => { this.timer = undefined; this.dispatch({ type: 'graceElapsed' }); }, this.options.graceMs)
      : undefined;
    for (const listener of this.listeners) listener();
  }
}

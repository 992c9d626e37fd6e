import { describe, expect, test } from 'vitest';
import { LiveStatusStore, nextLiveStatus, pollIntervalFor, type LiveEvent, type LiveStatus } from '../src/apollo/liveStatus';

const run = (events: LiveEvent[], from: LiveStatus = 'idle') => events.reduce(nextLiveStatus, from);
const closed = (code: number, subscribed = true): LiveEvent => ({ type: 'closed', code, subscribed });

// Timers the test fires by hand.
function manualTimers() {
  const pending = new Map<number, () => void>();
  let next = 0;
  return {
    setTimer: (callback: () => void) => { pending.set(++next, callback); return next as unknown as ReturnType<typeof setTimeout>; },
    clearTimer: (timer: ReturnType<typeof setTimeout>) => { pending.delete(timer as unknown as number); },
    fireAll: () => { for (const [id, callback] of [...pending]) { pending.delete(id); callback(); } },
    count: () => pending.size,
  };
}

describe('live status', () => {
  test('LiveStatus_Should_BeLive_When_GatewayAcknowledgesTheFirstSocket', () => {
    // act
    const status = run([{ type: 'connecting' }, { type: 'connected' }]);
    // assert
    expect(status).toBe('live');
    expect(pollIntervalFor(status, 10_000)).toBe(0);
  });

  test('LiveStatus_Should_BeDownAndPoll_When_FirstSocketClosesBeforeAcknowledgement', () => {
    // act
    const status = run([{ type: 'connecting' }, closed(1006)]);
    // assert
    expect(status).toBe('down');
    expect(pollIntervalFor(status, 10_000)).toBe(10_000);
  });

  test('LiveStatus_Should_BeDown_When_FirstSocketErrors', () => {
    // act
    const status = run([{ type: 'connecting' }, { type: 'error' }]);
    // assert
    expect(status).toBe('down');
  });

  test('LiveStatus_Should_ReconnectWithoutPolling_When_LiveSocketDropsAndRetriesFailWithinGrace', () => {
    // act
    const status = run([{ type: 'connecting' }, { type: 'connected' }, closed(1006), { type: 'connecting' }, closed(1006)]);
    // assert
    expect(status).toBe('reconnecting');
    expect(pollIntervalFor(status, 10_000)).toBe(0);
  });

  test('LiveStatus_Should_BeDown_When_ReconnectOutlastsGrace', () => {
    // act
    const status = run([{ type: 'graceElapsed' }], 'reconnecting');
    // assert
    expect(status).toBe('down');
  });

  test('LiveStatus_Should_StayDownWhileRetrying_When_RetriesKeepFailing', () => {
    // act
    const status = run([{ type: 'connecting' }, closed(1006), { type: 'error' }, { type: 'connecting' }], 'down');
    // assert
    expect(status).toBe('down');
  });

  test('LiveStatus_Should_GoBackToLive_When_ARetryIsAcknowledgedAfterAnOutage', () => {
    // act
    const status = run([{ type: 'connecting' }, { type: 'connected' }], 'down');
    // assert
    expect(status).toBe('live');
  });

  test('LiveStatus_Should_BeIdle_When_SocketClosesNormallyWithoutSubscriptions', () => {
    // act
    const status = run([closed(1000, false)], 'live');
    // assert
    expect(status).toBe('idle');
  });

  test('LiveStatus_Should_Reconnect_When_SocketClosesNormallyWhileSubscribed', () => {
    // act
    const status = run([closed(1000, true)], 'live');
    // assert
    expect(status).toBe('reconnecting');
  });

  test('LiveStatus_Should_IgnoreGraceElapsed_When_AlreadyLive', () => {
    // act
    const status = run([{ type: 'graceElapsed' }], 'live');
    // assert
    expect(status).toBe('live');
  });
});

describe('live status store', () => {
  test('Store_Should_FallBackAfterGrace_When_ReconnectDoesNotSucceed', () => {
    // arrange
    const timers = manualTimers();
    const store = new LiveStatusStore({ graceMs: 3000, ...timers });
    const seen: string[] = [];
    store.subscribe(() => seen.push(store.get()));
    store.dispatch({ type: 'connecting' });
    store.dispatch({ type: 'connected' });
    store.dispatch(closed(1006));
    // act
    timers.fireAll();
    // assert
    expect(seen).toEqual(['connecting', 'live', 'reconnecting', 'down']);
  });

  test('Store_Should_CancelTheGraceTimer_When_ReconnectSucceedsInTime', () => {
    // arrange
    const timers = manualTimers();
    const store = new LiveStatusStore({ graceMs: 3000, ...timers });
    store.dispatch({ type: 'connecting' });
    store.dispatch({ type: 'connected' });
    store.dispatch(closed(4205));
    // act
    store.dispatch({ type: 'connected' });
    timers.fireAll();
    // assert
    expect(store.get()).toBe('live');
    expect(timers.count()).toBe(0);
  });

  test('Store_Should_NotNotify_When_StatusDoesNotChange', () => {
    // arrange
    const store = new LiveStatusStore({ graceMs: 3000, ...manualTimers() });
    let notified = 0;
    const unsubscribe = store.subscribe(() => notified++);
    // act
    store.dispatch({ type: 'graceElapsed' });
    store.dispatch({ type: 'error' });
    unsubscribe();
    store.dispatch({ type: 'connecting' });
    // assert
    expect(notified).toBe(0);
  });
});

import { afterEach, beforeEach, describe, expect, test, vi } from 'vitest';
import { debounce } from '../src/dashboard/eventRefresh';

describe('event refresh', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  test('Debounce_Should_RefreshOnce_When_ABurstOfEventsEnds', () => {
    // arrange
    const run = vi.fn();
    const refresh = debounce(run, 1000, 5000);
    // act
    refresh();
    vi.advanceTimersByTime(400);
    refresh();
    vi.advanceTimersByTime(400);
    refresh();
    vi.advanceTimersByTime(999);
    const beforeQuiet = run.mock.calls.length;
    vi.advanceTimersByTime(1);
    // assert
    expect(beforeQuiet).toBe(0);
    expect(run).toHaveBeenCalledTimes(1);
  });

  test('Debounce_Should_RefreshAtMaxWait_When_EventsNeverStop', () => {
    // arrange
    const run = vi.fn();
    const refresh = debounce(run, 1000, 5000);
    // act
    for (let i = 0; i < 12; i++) {
      refresh();
      vi.advanceTimersByTime(500);
    }
    // assert
    expect(run).toHaveBeenCalledTimes(1);
  });

  test('Debounce_Should_NotRefresh_When_CancelledBeforeQuiet', () => {
    // arrange
    const run = vi.fn();
    const refresh = debounce(run, 1000, 5000);
    refresh();
    // act
    refresh.cancel();
    vi.advanceTimersByTime(10_000);
    // assert
    expect(run).not.toHaveBeenCalled();
  });
});

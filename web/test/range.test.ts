import { describe, expect, it } from 'vitest';
import { formatBucket, formatPercent, parseRange, RANGES, windowOf } from '../src/dashboard/range';

describe('parseRange', () => {
  it('reads each range from its key and falls back to 24 hours', () => {
    expect(RANGES.map((r) => parseRange(r.key).minutes)).toEqual([60, 1_440, 10_080, 43_200]);
    expect(parseRange(null).key).toBe('24h');
    expect(parseRange('2y').key).toBe('24h');
  });

  it('asks for whole buckets, at most 200, as salesStats requires', () => {
    for (const r of RANGES) {
      expect(r.minutes % r.bucketMinutes).toBe(0);
      expect(r.minutes / r.bucketMinutes).toBeLessThanOrEqual(200);
    }
    expect(RANGES.map((r) => r.minutes / r.bucketMinutes)).toEqual([12, 24, 28, 30]);
  });
});

describe('windowOf', () => {
  it('starts the window at the first whole bucket, the current bucket last', () => {
    const now = new Date('2026-11-30T14:07:31Z');
    expect(windowOf(parseRange('1h'), now).from.toISOString()).toBe('2026-11-30T13:10:00.000Z');
    expect(windowOf(parseRange('24h'), now).from.toISOString()).toBe('2026-11-29T15:00:00.000Z');
    expect(windowOf(parseRange('7d'), now).from.toISOString()).toBe('2026-11-23T18:00:00.000Z');
    expect(windowOf(parseRange('30d'), now).from.toISOString()).toBe('2026-11-01T00:00:00.000Z');
    expect(windowOf(parseRange('30d'), now).to).toBe(now);
  });
});

describe('formatBucket', () => {
  it('labels minutes and hours by time, six hours by date and time, days by date, all in UTC', () => {
    expect(formatBucket('2026-11-30T14:05:00Z', 5)).toBe('14:05');
    expect(formatBucket('2026-11-30T09:00:00Z', 60)).toBe('09:00');
    expect(formatBucket('2026-11-30T18:00:00Z', 360)).toBe('Nov 30 18:00');
    expect(formatBucket('2026-12-01T00:00:00Z', 1_440)).toBe('Dec 1');
    expect(formatBucket('not a date', 60)).toBe('not a date');
  });
});

describe('formatPercent', () => {
  it('shows one decimal and a dash when there is no rate', () => {
    expect(formatPercent(0.125)).toBe('12.5%');
    expect(formatPercent(0.0333)).toBe('3.3%');
    expect(formatPercent(0)).toBe('0.0%');
    expect(formatPercent(1)).toBe('100.0%');
    expect(formatPercent(null)).toBe('–');
  });
});

import { describe, expect, it } from 'vitest';
import { barsFor, fillMinutes, formatMinute, ordersPerMinute } from '../src/dashboard/orderStats';

const bucket = (minute: string, placed: number, confirmed = 0, rejected = 0) => ({ minute, placed, confirmed, rejected });

describe('fillMinutes', () => {
  it('fills missing minutes with zeros, oldest first, ending at the newest minute', () => {
    const filled = fillMinutes([bucket('2026-11-25T10:03:00Z', 2, 1), bucket('2026-11-25T10:00:00Z', 1)], 5);
    expect(filled.map((b) => [b.minute, b.placed])).toEqual([
      ['2026-11-25T09:59:00.000Z', 0],
      ['2026-11-25T10:00:00.000Z', 1],
      ['2026-11-25T10:01:00.000Z', 0],
      ['2026-11-25T10:02:00.000Z', 0],
      ['2026-11-25T10:03:00.000Z', 2],
    ]);
    expect(filled[4].confirmed).toBe(1);
  });

  it('drops minutes older than the window and returns nothing for no data', () => {
    expect(fillMinutes([bucket('2026-11-25T10:00:00Z', 4), bucket('2026-11-25T10:09:00Z', 1)], 3).map((b) => b.placed)).toEqual([0, 0, 1]);
    expect(fillMinutes([], 60)).toEqual([]);
  });
});

describe('barsFor', () => {
  it('scales bars to the busiest minute and keeps a single order visible', () => {
    const bars = barsFor([bucket('a', 0), bucket('b', 100), bucket('c', 1)], 30, 50);
    expect(bars.map((b) => b.height)).toEqual([0, 50, 1]);
    expect(bars.map((b) => b.x)).toEqual([0, 10, 20]);
    expect(bars[1].y).toBe(0);
  });
});

describe('formatting', () => {
  it('formats rates and minutes', () => {
    expect(ordersPerMinute(30, 60)).toBe('0.50');
    expect(ordersPerMinute(2, 60)).toBe('0.03');
    expect(ordersPerMinute(5, 0)).toBe('0.00');
    expect(formatMinute('2026-11-25T07:05:00Z')).toBe('07:05 UTC');
  });
});

/** The dashboard's time ranges: each asks the server for a window of whole buckets, few enough to read on a chart. */
export interface TimeRange {
  key: RangeKey;
  label: string;
  /** Window length, as salesStats and paymentStats take it. */
  minutes: number;
  /** One chart bar per bucket; divides `minutes`. */
  bucketMinutes: number;
}

export type RangeKey = '1h' | '24h' | '7d' | '30d';

export const RANGES: readonly TimeRange[] = [
  { key: '1h', label: 'Last hour', minutes: 60, bucketMinutes: 5 },
  { key: '24h', label: 'Last 24 hours', minutes: 1_440, bucketMinutes: 60 },
  { key: '7d', label: 'Last 7 days', minutes: 10_080, bucketMinutes: 360 },
  { key: '30d', label: 'Last 30 days', minutes: 43_200, bucketMinutes: 1_440 },
];

export const DEFAULT_RANGE: RangeKey = '24h';

/** The range named in the URL (`?range=7d`); anything else is the default, so a mistyped link still shows a chart. */
export function parseRange(value: string | null | undefined): TimeRange {
  return RANGES.find((r) => r.key === value) ?? RANGES.find((r) => r.key === DEFAULT_RANGE)!;
}

/** The window's first and last instant for a range ending at `now`, as the server buckets it (aligned to the Unix epoch). */
export function windowOf(range: TimeRange, now: Date): { from: Date; to: Date } {
  const bucketMs = range.bucketMinutes * 60_000;
  const lastStart = Math.floor(now.getTime() / bucketMs) * bucketMs;
  return { from: new Date(lastStart - (range.minutes / range.bucketMinutes - 1) * bucketMs), to: now };
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const pad = (n: number) => String(n).padStart(2, '0');

/**
 * A bucket's axis label, in UTC like every time on the dashboard: the time of day for buckets under a day ("14:05"),
 * with the date when buckets are hours long and the range spans days ("Nov 30 18:00"), the date alone for days.
 */
export function formatBucket(iso: string, bucketMinutes: number): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  const date = `${MONTHS[d.getUTCMonth()]} ${d.getUTCDate()}`;
  const time = `${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}`;
  if (bucketMinutes >= 1_440) return date;
  if (bucketMinutes > 60) return `${date} ${time}`;
  return time;
}

/** A share from 0 to 1 as a percentage with one decimal ("12.5%"); a window without payments has no rate ("–"). */
export function formatPercent(share: number | null | undefined): string {
  if (share == null || Number.isNaN(share)) return '–';
  return `${(Math.round(share * 1_000) / 10).toFixed(1)}%`;
}

export interface MinuteBucket {
  minute: string;
  placed: number;
  confirmed: number;
  rejected: number;
}

const MINUTE_MS = 60_000;

/**
 * One bucket per minute from the first to the last minute given, oldest first. The API already fills empty
 * minutes, but a cached response merged with a newer one (or a gateway that drops a bucket) must not draw a
 * shifted chart, so missing minutes are filled with zeros and duplicates keep the latest counts.
 */
export function fillMinutes(buckets: readonly MinuteBucket[], minutes: number): MinuteBucket[] {
  if (buckets.length === 0 || minutes <= 0) return [];
  const byMinute = new Map<number, MinuteBucket>();
  for (const bucket of buckets) byMinute.set(Math.floor(Date.parse(bucket.minute) / MINUTE_MS), bucket);
  const last = Math.max(...byMinute.keys());
  const filled: MinuteBucket[] = [];
  for (let m = last - minutes + 1; m <= last; m++) {
    const found = byMinute.get(m);
    filled.push(found ? { ...found, minute: new Date(m * MINUTE_MS).toISOString() } : { minute: new Date(m * MINUTE_MS).toISOString(), placed: 0, confirmed: 0, rejected: 0 });
  }
  return filled;
}

export interface Bar {
  x: number;
  y: number;
  width: number;
  height: number;
  bucket: MinuteBucket;
}

/** Bar geometry for an SVG of the given size; bars scale to the busiest minute, and a minute with orders is never invisible. */
export function barsFor(buckets: readonly MinuteBucket[], width: number, height: number): Bar[] {
  if (buckets.length === 0) return [];
  const max = Math.max(1, ...buckets.map((b) => b.placed));
  const slot = width / buckets.length;
  return buckets.map((bucket, i) => {
    const h = bucket.placed === 0 ? 0 : Math.max(1, (bucket.placed / max) * height);
    return { x: i * slot, y: height - h, width: Math.max(1, slot - 1), height: h, bucket };
  });
}

/** Orders per minute over the window; two decimals so a quiet hour with a few orders does not read as zero. */
export function ordersPerMinute(placed: number, minutes: number): string {
  return minutes > 0 ? (placed / minutes).toFixed(2) : '0.00';
}

export function formatMinute(iso: string): string {
  const d = new Date(iso);
  return `${String(d.getUTCHours()).padStart(2, '0')}:${String(d.getUTCMinutes()).padStart(2, '0')} UTC`;
}

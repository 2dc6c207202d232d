/*
 * "Last seen 5 minutes ago": relative times for the review, in the
 * browser's language, with the exact time kept for a tooltip.
 */
const units: Array<[Intl.RelativeTimeFormatUnit, number]> = [
  ['year', 365 * 24 * 3600],
  ['month', 30 * 24 * 3600],
  ['week', 7 * 24 * 3600],
  ['day', 24 * 3600],
  ['hour', 3600],
  ['minute', 60],
];

// Made once: a review page writes a time per row.
const format = new Intl.RelativeTimeFormat('en', { numeric: 'auto' });

/** How long ago an ISO time was, or "unknown" for a time that does not parse. */
export function timeAgo(iso: string | undefined, now = Date.now()): string {
  const at = iso ? Date.parse(iso) : NaN;
  if (Number.isNaN(at)) return 'unknown';
  const seconds = Math.round((at - now) / 1000);
  for (const [unit, size] of units) {
    if (Math.abs(seconds) >= size)
      return format.format(Math.round(seconds / size), unit);
  }
  return 'just now';
}

/** The start of a day picked in a date field (local midnight), as an ISO time. */
export function startOfDay(date: string): string | undefined {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  if (!match) return undefined;
  const at = new Date(Number(match[1]), Number(match[2]) - 1, Number(match[3]));
  return Number.isNaN(at.getTime()) ? undefined : at.toISOString();
}

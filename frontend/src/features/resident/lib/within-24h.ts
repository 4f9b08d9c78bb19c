/** 24 hours in milliseconds: the online cancel and rebook window of rule 2. */
export const DAY_MS = 24 * 3600 * 1000

/**
 * Whether a time starting at `startsAt` is already inside the last 24 hours
 * before it at `now` (ms since the epoch): once booked, it can no longer be
 * cancelled or rebooked online (rule 2; at exactly 24 hours it already
 * cannot), so the resident is warned before taking it.
 */
export function startsWithin24h(startsAt: string, now: number): boolean {
  return new Date(startsAt).getTime() - now <= DAY_MS
}

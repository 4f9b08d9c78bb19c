// The default time of "Ny bokning": the first quarter hour ahead of now that
// the practitioner's bookings leave free, within the hours the book shows.
import { ZONE } from '../../../shared/lib/dates'

/** A Stockholm wall-clock time on a date as an instant (RFC 3339). */
export function stockholmInstant(date: string, time: string): string {
  // Find the offset Stockholm has at that wall time by asking Intl.
  const guess = new Date(`${date}T${time}:00Z`)
  const parts = new Intl.DateTimeFormat('en-GB', { timeZone: ZONE, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit' }).formatToParts(guess)
  const get = (type: string) => Number(parts.find((p) => p.type === type)?.value)
  const asLocal = Date.UTC(get('year'), get('month') - 1, get('day'), get('hour'), get('minute'))
  const offset = asLocal - guess.getTime()
  return new Date(guess.getTime() - offset).toISOString()
}

export const hhmm = (minutes: number) => `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`

export interface Busy {
  starts_at: string
  ends_at: string
}

export interface FreeTimeQuery {
  now: Date
  /** The dates to look in, in order (YYYY-MM-DD). */
  days: string[]
  /** The hours shown, in minutes after midnight: [open, close). */
  open: number
  close: number
  length: number
  /** The practitioner's booked times. */
  busy: Busy[]
  step?: number
}

/** The first `step`-aligned start from `open` on that has not begun and collides with no booking; null when the days hold none. */
export function nextFreeTime({ now, days, open, close, length, busy, step = 15 }: FreeTimeQuery): { date: string; time: string } | null {
  const taken = busy.map((b) => [new Date(b.starts_at).getTime(), new Date(b.ends_at).getTime()] as const)
  for (const date of days) {
    for (let m = open; m + length <= close; m += step) {
      const start = new Date(stockholmInstant(date, hhmm(m))).getTime()
      if (start <= now.getTime()) continue
      const end = start + length * 60_000
      if (taken.some(([a, b]) => start < b && a < end)) continue
      return { date, time: hhmm(m) }
    }
  }
  return null
}

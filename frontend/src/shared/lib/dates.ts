// Dates as residents and staff see them: Europe/Stockholm, in Swedish or
// English. Calendar arithmetic works on plain dates (YYYY-MM-DD) in UTC so the
// browser's own time zone never shifts a day.
import type { Lang } from '../i18n'

export const ZONE = 'Europe/Stockholm'
const locale = (lang: Lang) => (lang === 'sv' ? 'sv-SE' : 'en-GB')

/** A plain date as a Date at UTC midnight. */
export function parseDate(iso: string): Date {
  const [y, m, d] = iso.split('-').map(Number)
  return new Date(Date.UTC(y ?? 1970, (m ?? 1) - 1, d ?? 1))
}

export function toIsoDate(date: Date): string {
  return date.toISOString().slice(0, 10)
}

export function addDays(iso: string, days: number): string {
  const d = parseDate(iso)
  d.setUTCDate(d.getUTCDate() + days)
  return toIsoDate(d)
}

/** Today's date in Stockholm. */
export function todayInStockholm(now: Date = new Date()): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: ZONE, year: 'numeric', month: '2-digit', day: '2-digit' }).format(now)
}

/** ISO 8601 week number (weeks start on Monday; week 1 holds the first Thursday). */
export function isoWeek(iso: string): number {
  const d = parseDate(iso)
  const day = (d.getUTCDay() + 6) % 7
  d.setUTCDate(d.getUTCDate() - day + 3)
  const firstThursday = new Date(Date.UTC(d.getUTCFullYear(), 0, 4))
  const firstDay = (firstThursday.getUTCDay() + 6) % 7
  firstThursday.setUTCDate(firstThursday.getUTCDate() - firstDay + 3)
  return 1 + Math.round((d.getTime() - firstThursday.getTime()) / (7 * 24 * 3600 * 1000))
}

/** Monday of the week of `iso`. */
export function mondayOf(iso: string): string {
  const d = parseDate(iso)
  return addDays(iso, -((d.getUTCDay() + 6) % 7))
}

export interface MonthWeek {
  week: number
  /** Seven days, Monday first; null outside the month. */
  days: (string | null)[]
}

/** The weeks of a month (`yyyy-mm`), Monday first, with ISO week numbers. */
export function monthGrid(month: string): MonthWeek[] {
  const first = `${month}-01`
  const start = mondayOf(first)
  const weeks: MonthWeek[] = []
  for (let monday = start; monday.slice(0, 7) <= month || weeks.length === 0; monday = addDays(monday, 7)) {
    const days = Array.from({ length: 7 }, (_, i) => {
      const d = addDays(monday, i)
      return d.slice(0, 7) === month ? d : null
    })
    if (days.every((d) => d === null)) break
    weeks.push({ week: isoWeek(monday), days })
  }
  return weeks
}

export function monthOf(iso: string): string {
  return iso.slice(0, 7)
}

export function addMonths(month: string, n: number): string {
  const [y, m] = month.split('-').map(Number)
  const d = new Date(Date.UTC(y ?? 1970, (m ?? 1) - 1 + n, 1))
  return toIsoDate(d).slice(0, 7)
}

export function formatMonth(month: string, lang: Lang): string {
  return new Intl.DateTimeFormat(locale(lang), { timeZone: 'UTC', month: 'long', year: 'numeric' }).format(parseDate(`${month}-01`))
}

/** "tisdag 2 juni 2026" */
export function formatDateLong(iso: string, lang: Lang): string {
  return new Intl.DateTimeFormat(locale(lang), { timeZone: 'UTC', weekday: 'long', day: 'numeric', month: 'long', year: 'numeric' }).format(parseDate(iso))
}

export function formatDateShort(iso: string, lang: Lang): string {
  return new Intl.DateTimeFormat(locale(lang), { timeZone: 'UTC', weekday: 'short', day: 'numeric', month: 'short' }).format(parseDate(iso))
}

/** An instant as Stockholm date and time: "2 juni 2026 kl. 08.30". */
export function formatInstant(instant: string, lang: Lang): string {
  return new Intl.DateTimeFormat(locale(lang), { timeZone: ZONE, dateStyle: 'long', timeStyle: 'short' }).format(new Date(instant))
}

/** Minutes after Stockholm midnight of an instant. */
export function stockholmMinutes(instant: string): number {
  const parts = new Intl.DateTimeFormat('en-GB', { timeZone: ZONE, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).formatToParts(new Date(instant))
  const get = (type: string) => Number(parts.find((p) => p.type === type)?.value ?? 0)
  return get('hour') * 60 + get('minute')
}

/** An instant's Stockholm time of day, "08:30". */
export function formatTime(instant: string): string {
  const minutes = stockholmMinutes(instant)
  return `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`
}

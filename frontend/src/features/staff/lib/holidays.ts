// The name of a Swedish public holiday (or an eve units close on), to say
// which dates publishing skipped. The server decides which dates are skipped
// (rule 22); this only names them, and a date it does not know is shown by
// its date alone.
import type { TextKey } from '../../../shared/i18n'
import { addDays, parseDate } from '../../../shared/lib/dates'

/** Easter Sunday of a Gregorian year (the anonymous Gregorian algorithm). */
export function easterSunday(year: number): string {
  const a = year % 19
  const b = Math.floor(year / 100)
  const c = year % 100
  const d = Math.floor(b / 4)
  const e = b % 4
  const f = Math.floor((b + 8) / 25)
  const g = Math.floor((b - f + 1) / 3)
  const h = (19 * a + b - d - g + 15) % 30
  const i = Math.floor(c / 4)
  const k = c % 4
  const l = (32 + 2 * e + 2 * i - h - k) % 7
  const m = Math.floor((a + 11 * h + 22 * l) / 451)
  const month = Math.floor((h + l - 7 * m + 114) / 31)
  const day = ((h + l - 7 * m + 114) % 31) + 1
  return `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`
}

/** The first date from `from` (inclusive) that falls on `weekday` (0 = Sunday). */
const firstWeekday = (from: string, weekday: number) => addDays(from, (weekday - parseDate(from).getUTCDay() + 7) % 7)

const FIXED: Record<string, string> = {
  '01-01': 'new-years-day',
  '01-06': 'epiphany',
  '05-01': 'may-day',
  '06-06': 'national-day',
  '12-24': 'christmas-eve',
  '12-25': 'christmas-day',
  '12-26': 'boxing-day',
  '12-31': 'new-years-eve',
}

/** The holiday's text key for a date (YYYY-MM-DD), or null when it is none. */
export function holidayKey(date: string): TextKey | null {
  const fixed = FIXED[date.slice(5)]
  if (fixed) return `holiday.${fixed}` as TextKey
  const year = Number(date.slice(0, 4))
  const easter = easterSunday(year)
  const moving: Record<string, string> = {
    [addDays(easter, -2)]: 'good-friday',
    [easter]: 'easter-sunday',
    [addDays(easter, 1)]: 'easter-monday',
    [addDays(easter, 39)]: 'ascension-day',
    [addDays(easter, 49)]: 'whitsunday',
    // Midsummer Eve is the Friday between 19 and 25 June; the Day follows it.
    [firstWeekday(`${year}-06-19`, 5)]: 'midsummer-eve',
    [firstWeekday(`${year}-06-20`, 6)]: 'midsummer-day',
    // All Saints' Day: the Saturday between 31 October and 6 November.
    [firstWeekday(`${year}-10-31`, 6)]: 'all-saints-day',
  }
  const name = moving[date]
  return name ? (`holiday.${name}` as TextKey) : null
}

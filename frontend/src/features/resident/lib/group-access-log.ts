// The resident's access log (loggutdrag) in groups a person can read: the
// same person at the same unit doing the same thing on the same Stockholm
// day is one row with a count and the first and last time, not one row
// per page view.
import type { Schemas } from '../../../shared/api/client'
import { ZONE, todayInStockholm } from '../../../shared/lib/dates'

type Entry = Schemas['MyAccessLogEntry']

export interface AccessGroup {
  who: string | null
  role: Entry['role']
  unit: string | null
  action: Entry['action']
  /** The Stockholm date (YYYY-MM-DD). */
  day: string
  count: number
  /** The earliest and latest instant of the group. */
  first: string
  last: string
}

const time = new Intl.DateTimeFormat('en-GB', { timeZone: ZONE, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' })

/** "09:12": the Stockholm time of an instant. */
export const stockholmTime = (instant: string) => time.format(new Date(instant))

/** Groups the entries; the newest group first. The input may come in any order. */
export function groupAccessLog(entries: readonly Entry[]): AccessGroup[] {
  const groups = new Map<string, AccessGroup>()
  for (const e of entries) {
    const day = todayInStockholm(new Date(e.at))
    const key = JSON.stringify([e.who ?? null, e.role, e.unit ?? null, e.action, day])
    const group = groups.get(key)
    if (!group) {
      groups.set(key, { who: e.who ?? null, role: e.role, unit: e.unit ?? null, action: e.action, day, count: 1, first: e.at, last: e.at })
      continue
    }
    group.count += 1
    if (Date.parse(e.at) < Date.parse(group.first)) group.first = e.at
    if (Date.parse(e.at) > Date.parse(group.last)) group.last = e.at
  }
  return [...groups.values()].sort((a, b) => Date.parse(b.last) - Date.parse(a.last) || a.action.localeCompare(b.action))
}

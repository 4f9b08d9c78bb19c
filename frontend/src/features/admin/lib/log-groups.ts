// The unit's access log as people read it: one row per person, action and
// day (and booking, for actions on one), with how many times and between
// which times. Views of the book or the feed touch many patients at once:
// one row names them all.
import type { Schemas } from '../../../shared/api/client'
import { todayInStockholm, ZONE } from '../../../shared/lib/dates'

type Entry = Schemas['AccessLogEntryResponse']

const MANY_PATIENT_ACTIONS: ReadonlySet<Entry['action']> = new Set(['view_book', 'view_cancellation_feed'])

export interface LogGroup {
  key: string
  action: Entry['action']
  actorId: string
  actorName: string | null
  actorRole: Entry['actor_role']
  /** Stockholm date. */
  date: string
  /** Earliest and latest instant. */
  first: string
  last: string
  count: number
  /** Whose data it was, in the order first seen. */
  residents: Entry['resident'][]
}

const clock = (instant: string) =>
  new Intl.DateTimeFormat('sv-SE', { timeZone: ZONE, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(new Date(instant))

/** Stockholm wall-clock time of an instant, `HH:MM`. */
export const timeOf = clock

/** Groups log lines, newest group first (by its latest line). */
export function groupLog(entries: Entry[]): LogGroup[] {
  const groups = new Map<string, LogGroup & { seen: Set<string> }>()
  for (const e of entries) {
    const date = todayInStockholm(new Date(e.at))
    // A view of the book is one thing however many patients it showed; any
    // other action is repeated only on the same booking.
    const subject = MANY_PATIENT_ACTIONS.has(e.action) ? '*' : `${e.resident.id}|${e.booking_id ?? ''}`
    const key = [e.actor_id, e.action, date, subject].join('|')
    const group = groups.get(key)
    if (!group) {
      groups.set(key, { key, action: e.action, actorId: e.actor_id, actorName: e.actor_name ?? null, actorRole: e.actor_role, date, first: e.at, last: e.at, count: 1, residents: [e.resident], seen: new Set([e.resident.id]) })
      continue
    }
    group.count++
    if (!group.seen.has(e.resident.id)) {
      group.seen.add(e.resident.id)
      group.residents.push(e.resident)
    }
    if (new Date(e.at) < new Date(group.first)) group.first = e.at
    if (new Date(e.at) > new Date(group.last)) group.last = e.at
  }
  return [...groups.values()]
    .sort((a, b) => new Date(b.last).getTime() - new Date(a.last).getTime())
    .map(({ seen: _seen, ...g }) => g)
}

// Publishing in two steps: what it would do, then doing it.
import type { Schemas } from '../../../shared/api/client'
import { addDays, parseDate } from '../../../shared/lib/dates'

/** What publishing did or would do. `skipped_holidays` (the public holidays
 * left out, rule 22) comes with the server's holiday rule; older servers
 * leave it out. */
export type PublishOutcome = Schemas['PublishResponse'] & { skipped_holidays?: string[] }

/** The preview shown before publishing: the server's dry run when it has one,
 * until then the template's own count of the range. */
export type PublishPreview = { source: 'dry-run'; outcome: PublishOutcome } | { source: 'template'; slots: number; days: number; weeks: number }

const WEEKDAYS = ['sunday', 'monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday'] as const

/** The end before the start is refused at once (the server refuses it too). */
export const rangeError = (from: string, to: string): 'end-before-start' | null => (from && to && to < from ? 'end-before-start' : null)

/** How many slots the template gives over `from`..`to` (both included), and on how many days. */
export function templateCount(blocks: Pick<Schemas['BlockResponse'], 'weekday' | 'count'>[], from: string, to: string): { slots: number; days: number; weeks: number } {
  let slots = 0
  let days = 0
  let total = 0
  for (let d = from; d <= to && total < 3700; d = addDays(d, 1), total++) {
    const weekday = WEEKDAYS[parseDate(d).getUTCDay()]
    const n = blocks.filter((b) => b.weekday === weekday).reduce((sum, b) => sum + b.count, 0)
    if (n > 0) days++
    slots += n
  }
  return { slots, days, weeks: Math.ceil(total / 7) }
}

/** A range long enough to ask twice about (half a year). */
export const LONG_RANGE_WEEKS = 26

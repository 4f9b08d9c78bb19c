// Publishing in two steps: the server's dry run of a range, then the same
// range for real.
import type { Schemas } from '../../../shared/api/client'
import { parseDate } from '../../../shared/lib/dates'

/** What publishing did or, in a dry run, would do. */
export type PublishOutcome = Schemas['PublishResponse']

/** A dry run and the range it was made for (Publicera commits that range). */
export interface PublishPreview {
  from: string
  to: string
  outcome: PublishOutcome
}

/** The end before the start is refused at once (the server refuses it too). */
export const rangeError = (from: string, to: string): 'end-before-start' | null => (from && to && to < from ? 'end-before-start' : null)

/** The weeks a range spans, both ends included. */
export const rangeWeeks = (from: string, to: string): number => Math.ceil((Math.round((parseDate(to).getTime() - parseDate(from).getTime()) / 86_400_000) + 1) / 7)

/** A range long enough to ask twice about (half a year). */
export const LONG_RANGE_WEEKS = 26

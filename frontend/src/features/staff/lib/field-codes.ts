// The desk's forms read a `validation-failed` problem by its stable field
// codes (docs/problems.md), never by the server's English message, and say
// each in the person's language.
import { ProblemError } from '../../../shared/api/client'
import type { TextKey } from '../../../shared/i18n'

/** The field → code pairs of a `validation-failed` problem (empty for any other error). */
export function fieldCodes(error: unknown): Record<string, string> {
  if (!(error instanceof ProblemError) || error.slug !== 'validation-failed') return {}
  const out: Record<string, string> = {}
  // The contract lists the codes in Rust's spelling; the wire carries snake_case (as documented).
  for (const e of error.problem.errors ?? []) out[e.field] ??= String(e.code)
  return out
}

const PNR_CODES = ['pnr_format', 'pnr_date', 'pnr_check_digit', 'pnr_born_in_future', 'pnr_separator'] as const

/** The text for a field's code on one of the desk's forms. */
export function fieldText(field: string, code: string): TextKey {
  if ((PNR_CODES as readonly string[]).includes(code)) return `staff.field.${code}` as TextKey
  // A personal identity number too short or too long is a format mistake to staff.
  if (field === 'personal_identity_number' && code === 'length') return 'staff.field.pnr_format'
  switch (code) {
    case 'required':
    case 'blank':
      return 'staff.field.required'
    case 'not_started':
      return 'staff.field.not_started'
    case 'before_from':
      return 'schedule.endBeforeStart'
    default:
      return 'staff.field.invalid'
  }
}

/** A complete personal identity number as people type it: 10 or 12 digits,
 * a `-` or `+` before the last four allowed. Only then is it looked up. */
export const pnrComplete = (value: string): boolean => /^(\d{6}|\d{8})[-+]?\d{4}$/.test(value.trim())

// The desk's forms read a `validation-failed` problem by its stable field
// codes (docs/problems.md), never by the server's English message, and say
// each in the person's language.
import { ProblemError } from '../../../shared/api/client'
import { isTextKey, type TextKey } from '../../../shared/i18n'

/** The field → code pairs of a `validation-failed` problem (empty for any other error). */
export function fieldCodes(error: unknown): Record<string, string> {
  return error instanceof ProblemError && error.slug === 'validation-failed' ? error.fieldCodes() : {}
}

/** The text for a field's code on one of the desk's forms: the code's own
 * text (every code of the contract has one), except that a personal identity
 * number of the wrong length is a format mistake to staff. */
export function fieldText(field: string, code: string): TextKey {
  if (field === 'personal_identity_number' && code === 'length') return 'fieldError.pnr_format'
  return isTextKey(`fieldError.${code}`) ? (`fieldError.${code}` as TextKey) : 'fieldError.other'
}

/** A complete personal identity number as people type it: 10 or 12 digits,
 * a `-` or `+` before the last four allowed. Only then is it looked up. */
export const pnrComplete = (value: string): boolean => /^(\d{6}|\d{8})[-+]?\d{4}$/.test(value.trim())

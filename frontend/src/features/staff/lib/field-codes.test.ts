import { beforeAll, describe, expect, it } from 'vitest'
import { ProblemError } from '../../../shared/api/client'
import { loadLanguage, translate } from '../../../shared/i18n'
import { fieldCodes, fieldText, pnrComplete } from './field-codes'

const problem = (errors: { field: string; code: string; message: string }[]) =>
  new ProblemError(422, { type: 'https://tidbok.se/problems/validation-failed', title: 'x', status: 422, errors } as never)

// English is a lazy chunk in the app; here it is fetched up front.
beforeAll(() => loadLanguage('en'))

describe('the desk reads field codes, not English messages', () => {
  it('takes each field’s code as the server sends it', () => {
    const error = problem([
      { field: 'personal_identity_number', code: 'pnr_check_digit', message: 'the check digit does not match' },
      { field: 'record_after_the_fact', code: 'not_started', message: 'the time has not started yet' },
    ])
    expect(fieldCodes(error)).toEqual({ personal_identity_number: 'pnr_check_digit', record_after_the_fact: 'not_started' })
    expect(fieldCodes(new ProblemError(422, { type: 'https://tidbok.se/problems/starts-in-past', title: 'x', status: 422 }))).toEqual({})
    expect(fieldCodes(new Error('x'))).toEqual({})
  })

  it('says every personal identity number code in Swedish', () => {
    for (const code of ['pnr_format', 'pnr_date', 'pnr_check_digit', 'pnr_born_in_future', 'pnr_separator']) {
      const text = translate('sv', fieldText('personal_identity_number', code))
      expect(text, code).toMatch(/[Pp]ersonnumret|Plustecken/)
      expect(translate('en', fieldText('personal_identity_number', code)), code).not.toBe(text)
    }
    // Too short or too long is a format mistake to staff.
    expect(fieldText('personal_identity_number', 'length')).toBe('fieldError.pnr_format')
    expect(translate('sv', fieldText('record_after_the_fact', 'not_started'))).toBe('Tiden har inte börjat ännu. Ta bort markeringen för att boka tiden som vanligt.')
    expect(translate('sv', fieldText('reason_for_visit', 'control_character'))).toBe('Texten innehåller tecken som inte går att använda.')
    expect(fieldText('x', 'a_code_without_text')).toBe('fieldError.other')
  })

  it('looks a number up only once it is complete', () => {
    for (const ok of ['19121212-1212', '191212121212', '121212-1212', '1212121212', '121212+1212', ' 19121212-1212 ']) expect(pnrComplete(ok), ok).toBe(true)
    for (const not of ['', '1912', '19121212-121', '19121212--1212', '19121212 1212', 'abc']) expect(pnrComplete(not), not).toBe(false)
  })
})

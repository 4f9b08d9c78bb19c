// Every problem type and field error code the server can send has a text in
// Swedish and in English. The lists come from the repository's own files at
// test time (docs/problems.md is generated from the server's catalogue, the
// contract from its handlers), so a new problem or code without a text fails
// here instead of reaching a resident as the generic error.
import { readFileSync } from 'node:fs'
import { dirname, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { beforeAll, describe, expect, it } from 'vitest'
import { ProblemError } from '../api/client'
import { en } from './en'
import { fieldMessage, fieldMessages, loadLanguage, problemMessage } from './index'
import { sv } from './sv'

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../../../..')
const repo = (path: string) => readFileSync(resolve(root, path), 'utf8')

const problemSlugs = [...new Set([...repo('docs/problems.md').matchAll(/https:\/\/tidbok\.se\/problems\/([a-z0-9-]+)/g)].map((m) => m[1] as string))]

interface Schema {
  enum?: string[]
  $ref?: string
  properties?: Record<string, Schema>
}
const contract = JSON.parse(repo('openapi/openapi.json')) as { components: { schemas: Record<string, Schema> } }
// The field codes: FieldError.code's enum (FieldCode, by reference).
const deref = (schema: Schema | undefined): Schema | undefined =>
  schema?.$ref ? contract.components.schemas[schema.$ref.split('/').pop() ?? ''] : schema
const fieldCodes = deref(contract.components.schemas.FieldError?.properties?.code)?.enum ?? []

const has = (dictionary: Record<string, string>, key: string) => typeof dictionary[key] === 'string' && dictionary[key].trim() !== ''
const missing = (keys: string[]) => ({
  sv: keys.filter((k) => !has(sv, k)),
  en: keys.filter((k) => !has(en, k)),
})

describe('the texts of the server’s problem catalogue', () => {
  it('finds the catalogue and the field codes in the repository', () => {
    expect(problemSlugs.length).toBeGreaterThan(20)
    expect(problemSlugs).toContain('booking-limit-reached')
    expect(fieldCodes).toContain('pnr_check_digit')
    expect(fieldCodes.length).toBeGreaterThan(15)
  })

  it('has a Swedish and an English text for every problem type of docs/problems.md', () => {
    expect(missing(problemSlugs.map((slug) => `problem.${slug}`))).toEqual({ sv: [], en: [] })
  })

  it('has a Swedish and an English text for every field error code of the contract', () => {
    expect(missing(fieldCodes.map((code) => `fieldError.${code}`))).toEqual({ sv: [], en: [] })
  })

  it('has a Swedish and an English name for every public holiday publishing can skip', () => {
    const holidays = contract.components.schemas.HolidayName?.enum ?? []
    expect(holidays).toContain('christmas_eve')
    expect(missing(holidays.map((code) => `holiday.${code}`))).toEqual({ sv: [], en: [] })
  })
})

const problem = (slug: string, extra: Record<string, unknown> = {}) =>
  new ProblemError(422, { type: `https://tidbok.se/problems/${slug}`, title: 'English title', status: 422, detail: 'English detail for integrators.', ...extra })

// English is a lazy chunk in the app; here it is fetched once up front.
beforeAll(() => loadLanguage('en'))

describe('a problem in words', () => {
  it('tells a resident at the booking cap how many she has, in Swedish and English', () => {
    expect(problemMessage('sv', problem('booking-limit-reached', { max: 2 }))).toBe('Du har redan 2 bokade tider av den här typen. Avboka en av dem eller ring mottagningen.')
    expect(problemMessage('en', problem('booking-limit-reached', { max: 2 }))).toBe('You already have 2 booked appointments of this type. Cancel one of them or call the clinic.')
  })

  it('has a text for the cap without its number, never the internal-error text', () => {
    const text = problemMessage('sv', problem('booking-limit-reached'))
    expect(text).toMatch(/Avboka en av dem eller ring mottagningen/)
    expect(text).not.toBe(sv['problem.internal-error'])
    expect(text).not.toMatch(/\{/)
  })

  it('never shows the server’s English title or detail', () => {
    for (const slug of problemSlugs) {
      const text = problemMessage('sv', problem(slug))
      expect(text, slug).not.toMatch(/English/)
    }
  })

  it('falls back to the general text for a type it does not know', () => {
    expect(problemMessage('sv', problem('something-new'))).toBe(sv['problem.internal-error'])
    expect(problemMessage('sv', new Error('boom'))).toBe(sv['problem.internal-error'])
  })
})

describe('field errors in words', () => {
  it('translates each field’s code and never passes the server’s message through', () => {
    const error = problem('validation-failed', {
      errors: [
        { field: 'phone', code: 'invalid', message: 'not a mobile number' },
        { field: 'email', code: 'a_code_without_text', message: 'not an address' },
      ],
    })
    expect(fieldMessages('sv', error)).toEqual({ phone: sv['fieldError.invalid'], email: sv['fieldError.other'] })
    expect(fieldMessage('en', 'required')).toBe(en['fieldError.required'])
  })

  it('has no field errors for anything but a problem', () => {
    expect(fieldMessages('sv', null)).toEqual({})
    expect(fieldMessages('sv', new Error('x'))).toEqual({})
  })
})

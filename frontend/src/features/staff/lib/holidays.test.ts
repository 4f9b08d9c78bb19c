import { beforeAll, describe, expect, it } from 'vitest'
import { loadLanguage, translate } from '../../../shared/i18n'
import { easterSunday, holidayKey } from './holidays'

const name = (date: string) => {
  const key = holidayKey(date)
  return key ? translate('sv', key) : null
}

// English is a lazy chunk in the app; here it is fetched up front.
beforeAll(() => loadLanguage('en'))

describe('the Swedish holidays publishing skips, by name', () => {
  it('finds Easter Sunday as the official calendar has it, 2026–2030', () => {
    expect(['2026', '2027', '2028', '2029', '2030'].map((y) => easterSunday(Number(y)))).toEqual(['2026-04-05', '2027-03-28', '2028-04-16', '2029-04-01', '2030-04-21'])
  })

  it('names the fixed days and the eves', () => {
    expect(name('2026-12-24')).toBe('julafton')
    expect(name('2026-12-31')).toBe('nyårsafton')
    expect(name('2027-01-06')).toBe('trettondedag jul')
    expect(name('2027-06-06')).toBe('Sveriges nationaldag')
  })

  it('names the days that move with Easter and with midsummer (2027)', () => {
    expect(name('2027-03-26')).toBe('långfredagen')
    expect(name('2027-03-29')).toBe('annandag påsk')
    expect(name('2027-05-06')).toBe('Kristi himmelsfärdsdag')
    expect(name('2027-06-25')).toBe('midsommarafton')
    expect(name('2027-06-26')).toBe('midsommardagen')
    expect(name('2027-11-06')).toBe('alla helgons dag')
    // 2026: midsummer eve on the 19th, the earliest it can be.
    expect(name('2026-06-19')).toBe('midsommarafton')
  })

  it('names no ordinary day', () => {
    expect(holidayKey('2026-12-23')).toBeNull()
    expect(holidayKey('2027-06-24')).toBeNull()
  })

  it('has the names in English too', () => {
    expect(translate('en', holidayKey('2026-12-24')!)).toBe('Christmas Eve')
  })
})

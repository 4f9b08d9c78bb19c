import { describe, expect, it } from 'vitest'
import { addDays, isoWeek, monthGrid, stockholmMinutes, todayInStockholm } from './dates'

describe('ISO week numbers', () => {
  it('follow ISO 8601 at year ends', () => {
    expect(isoWeek('2026-01-01')).toBe(1)
    expect(isoWeek('2026-12-28')).toBe(53)
    expect(isoWeek('2027-01-03')).toBe(53)
    expect(isoWeek('2027-01-04')).toBe(1)
    expect(isoWeek('2020-06-17')).toBe(25)
  })
})

describe('month grids', () => {
  it('start on Monday and carry week numbers', () => {
    const june2020 = monthGrid('2020-06')
    expect(june2020.map((w) => w.week)).toEqual([23, 24, 25, 26, 27])
    expect(june2020[0]?.days[0]).toBe('2020-06-01')
    expect(june2020[4]?.days.slice(0, 3)).toEqual(['2020-06-29', '2020-06-30', null])
  })

  it('keep every day of a month with a daylight-saving change', () => {
    const march = monthGrid('2027-03').flatMap((w) => w.days).filter(Boolean)
    expect(march).toHaveLength(31)
    expect(march).toContain('2027-03-28')
    const october = monthGrid('2026-10').flatMap((w) => w.days).filter(Boolean)
    expect(october).toHaveLength(31)
  })
})

describe('Stockholm time', () => {
  it('reads the wall clock across daylight saving', () => {
    expect(stockholmMinutes('2027-03-28T00:30:00Z')).toBe(90)
    expect(stockholmMinutes('2027-03-28T01:30:00Z')).toBe(210)
    expect(stockholmMinutes('2026-10-25T00:30:00Z')).toBe(150)
    expect(stockholmMinutes('2026-10-25T01:30:00Z')).toBe(150)
  })

  it('knows the date in Stockholm, not in the browser', () => {
    expect(todayInStockholm(new Date('2026-11-30T23:30:00Z'))).toBe('2026-12-01')
    expect(addDays('2027-03-27', 1)).toBe('2027-03-28')
  })
})

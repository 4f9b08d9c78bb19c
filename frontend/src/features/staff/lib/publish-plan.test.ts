import { describe, expect, it } from 'vitest'
import { rangeError, rangeWeeks } from './publish-plan'

describe('publishing a range', () => {
  it('refuses an end before the start, and allows one day', () => {
    expect(rangeError('2026-06-10', '2026-06-09')).toBe('end-before-start')
    expect(rangeError('2026-06-10', '2026-06-10')).toBeNull()
    expect(rangeError('2026-06-10', '')).toBeNull()
  })

  it('spans whole weeks, both ends included, across a change of clocks', () => {
    expect(rangeWeeks('2026-06-01', '2026-06-01')).toBe(1)
    expect(rangeWeeks('2026-06-01', '2026-06-07')).toBe(1)
    expect(rangeWeeks('2026-06-01', '2026-06-08')).toBe(2)
    expect(rangeWeeks('2026-03-23', '2026-04-05')).toBe(2)
    expect(rangeWeeks('2026-12-01', '2027-06-01')).toBe(27)
  })
})

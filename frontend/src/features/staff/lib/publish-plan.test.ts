import { describe, expect, it } from 'vitest'
import { rangeError, templateCount } from './publish-plan'

const blocks = [
  { weekday: 'monday' as const, count: 4 },
  { weekday: 'monday' as const, count: 6 },
  { weekday: 'wednesday' as const, count: 3 },
]

describe('publishing a range', () => {
  it('refuses an end before the start, and allows one day', () => {
    expect(rangeError('2026-06-10', '2026-06-09')).toBe('end-before-start')
    expect(rangeError('2026-06-10', '2026-06-10')).toBeNull()
    expect(rangeError('2026-06-10', '')).toBeNull()
  })

  it('counts the template’s slots per weekday over the range, ends included', () => {
    // 1 June 2026 is a Monday; the 15th is the third Monday.
    expect(templateCount(blocks, '2026-06-01', '2026-06-15')).toEqual({ slots: 3 * 10 + 2 * 3, days: 5, weeks: 3 })
    expect(templateCount(blocks, '2026-06-02', '2026-06-02')).toEqual({ slots: 0, days: 0, weeks: 1 })
  })

  it('counts nothing for an end before the start', () => {
    expect(templateCount(blocks, '2026-06-10', '2026-06-01').slots).toBe(0)
  })
})

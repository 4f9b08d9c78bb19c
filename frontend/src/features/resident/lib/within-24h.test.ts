import { describe, expect, it } from 'vitest'
import { startsWithin24h } from './within-24h'

const now = Date.parse('2026-03-28T10:00:00Z')

describe('a time within 24 hours', () => {
  it('is one that starts in 23 hours, or in exactly 24 (rule 2 refuses at start − 24 h)', () => {
    expect(startsWithin24h('2026-03-29T09:00:00Z', now)).toBe(true)
    expect(startsWithin24h('2026-03-29T10:00:00Z', now)).toBe(true)
  })

  it('is not one that starts a minute after 24 hours', () => {
    expect(startsWithin24h('2026-03-29T10:01:00Z', now)).toBe(false)
  })

  it('counts real hours across the change to summer time: the same clock time the next day is only 23 hours away', () => {
    // Stockholm 11:00 CET on 28 March 2026; summer time starts that night.
    expect(startsWithin24h('2026-03-29T11:00:00+02:00', now)).toBe(true)
    expect(startsWithin24h('2026-03-29T12:00:00+02:00', now)).toBe(true)
    expect(startsWithin24h('2026-03-29T12:01:00+02:00', now)).toBe(false)
  })
})

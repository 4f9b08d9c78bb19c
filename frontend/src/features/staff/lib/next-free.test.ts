import { describe, expect, it } from 'vitest'
import { nextFreeTime, stockholmInstant } from './next-free'

const at = (date: string, time: string) => new Date(stockholmInstant(date, time))
const booked = (date: string, from: string, to: string) => ({ starts_at: stockholmInstant(date, from), ends_at: stockholmInstant(date, to) })
const week = ['2026-06-01', '2026-06-02', '2026-06-03']
const hours = { open: 8 * 60, close: 17 * 60 }

describe('the default time of a new booking', () => {
  it('is the next quarter hour after now, never one that has begun', () => {
    const next = nextFreeTime({ now: at('2026-06-01', '10:07'), days: week, ...hours, length: 15, busy: [] })
    expect(next).toEqual({ date: '2026-06-01', time: '10:15' })
  })

  it('is not the quarter hour that starts right now', () => {
    const next = nextFreeTime({ now: at('2026-06-01', '10:15'), days: week, ...hours, length: 15, busy: [] })
    expect(next).toEqual({ date: '2026-06-01', time: '10:30' })
  })

  it('skips times the practitioner is booked, for the whole length', () => {
    const busy = [booked('2026-06-01', '10:15', '10:45'), booked('2026-06-01', '11:00', '11:10')]
    const next = nextFreeTime({ now: at('2026-06-01', '10:07'), days: week, ...hours, length: 30, busy })
    expect(next).toEqual({ date: '2026-06-01', time: '11:15' })
  })

  it('moves to the next day after closing time', () => {
    const next = nextFreeTime({ now: at('2026-06-01', '16:50'), days: week, ...hours, length: 15, busy: [] })
    expect(next).toEqual({ date: '2026-06-02', time: '08:00' })
  })

  it('ignores days that are over and starts a future day at opening', () => {
    const next = nextFreeTime({ now: at('2026-05-20', '12:00'), days: week, ...hours, length: 15, busy: [] })
    expect(next).toEqual({ date: '2026-06-01', time: '08:00' })
    const late = nextFreeTime({ now: at('2026-06-04', '09:00'), days: week, ...hours, length: 15, busy: [] })
    expect(late).toBeNull()
  })

  it('holds across the change to summer time', () => {
    // 29 March 2026: clocks go from 02:00 to 03:00 in Stockholm.
    expect(stockholmInstant('2026-03-29', '08:00')).toBe('2026-03-29T06:00:00.000Z')
    expect(stockholmInstant('2026-03-28', '08:00')).toBe('2026-03-28T07:00:00.000Z')
  })
})

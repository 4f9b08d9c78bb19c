import { describe, expect, it } from 'vitest'
import type { Schemas } from '../../../shared/api/client'
import { groupAccessLog, stockholmTime } from './group-access-log'

type Entry = Schemas['MyAccessLogEntry']
const UNIT = 'Vårdcentralen Påarp-Mörarp'
const entry = (at: string, patch: Partial<Entry> = {}): Entry => ({ at, who: 'Sara Ek', role: 'staff', unit: UNIT, action: 'view_book', booking_id: null, ...patch })

describe('grouping the resident’s access log', () => {
  it('makes one row of five views of the book by one person at one unit on one day, with the first and last time', () => {
    // 1 December 2026, Stockholm is UTC+1: 08:12Z is 09:12 there.
    const views = ['2026-12-01T08:12:00Z', '2026-12-01T08:40:00Z', '2026-12-01T09:05:00Z', '2026-12-01T10:01:00Z', '2026-12-01T10:40:00Z'].map((at) => entry(at))
    const groups = groupAccessLog(views.reverse())
    expect(groups).toHaveLength(1)
    expect(groups[0]).toMatchObject({ who: 'Sara Ek', unit: UNIT, action: 'view_book', day: '2026-12-01', count: 5 })
    expect(stockholmTime(groups[0]!.first)).toBe('09:12')
    expect(stockholmTime(groups[0]!.last)).toBe('11:40')
  })

  it('keeps apart another person, another unit, another action and another day', () => {
    const groups = groupAccessLog([
      entry('2026-12-01T08:00:00Z'),
      entry('2026-12-01T08:01:00Z', { who: 'Karin Berg' }),
      entry('2026-12-01T08:02:00Z', { unit: 'Vårdcentralen Nöbbelöv' }),
      entry('2026-12-01T08:03:00Z', { action: 'book' }),
      entry('2026-12-02T08:04:00Z'),
    ])
    expect(groups).toHaveLength(5)
    expect(groups.every((g) => g.count === 1)).toBe(true)
  })

  it('splits days at Stockholm midnight, not at UTC midnight', () => {
    // 23:30Z on 1 December is 00:30 on 2 December in Stockholm; 22:30Z is 23:30 on the 1st.
    const groups = groupAccessLog([entry('2026-12-01T22:30:00Z'), entry('2026-12-01T23:30:00Z')])
    expect(groups.map((g) => g.day)).toEqual(['2026-12-02', '2026-12-01'])
  })

  it('counts views apart from other actions in between, and puts the newest group first', () => {
    const groups = groupAccessLog([entry('2026-12-01T08:00:00Z'), entry('2026-12-01T08:30:00Z', { action: 'book' }), entry('2026-12-01T09:00:00Z')])
    expect(groups.map((g) => [g.action, g.count])).toEqual([
      ['view_book', 2],
      ['book', 1],
    ])
  })

  it('groups entries without a name or unit together, not with named ones', () => {
    const groups = groupAccessLog([entry('2026-12-01T08:00:00Z', { who: null, unit: null }), entry('2026-12-01T08:05:00Z', { who: null, unit: null }), entry('2026-12-01T08:10:00Z')])
    expect(groups.map((g) => [g.who, g.count])).toEqual([
      ['Sara Ek', 1],
      [null, 2],
    ])
  })

  it('gives nothing for no entries', () => {
    expect(groupAccessLog([])).toEqual([])
  })
})

import { describe, expect, it } from 'vitest'
import type { Schemas } from '../../../shared/api/client'
import { groupLog, timeOf } from './log-groups'

let n = 0
const line = (actor: string, action: Schemas['AccessActionName'], at: string, resident: string, booking: string | null = null): Schemas['AccessLogEntryResponse'] => ({
  id: `id-${n++}`,
  at,
  actor_id: actor,
  actor_name: actor === 'sara' ? 'Sara Ek' : null,
  actor_role: 'staff',
  action,
  resident: { id: resident, name: resident === 'r1' ? 'Anna Svensson' : null, personal_identity_number: resident === 'r1' ? '19121212-1212' : '19410730-9173' },
  resident_id: resident,
  booking_id: booking,
})

describe('the unit access log, grouped', () => {
  it('makes one row of the same person viewing the book many times the same day', () => {
    const log = [
      line('sara', 'view_book', '2026-06-01T12:40:00Z', 'r1'),
      line('sara', 'view_book', '2026-06-01T12:40:00Z', 'r2'),
      line('sara', 'view_book', '2026-06-01T06:05:00Z', 'r1'),
    ]
    const groups = groupLog(log)
    expect(groups).toHaveLength(1)
    expect(groups[0]).toMatchObject({ action: 'view_book', count: 3, date: '2026-06-01', first: '2026-06-01T06:05:00Z', last: '2026-06-01T12:40:00Z' })
    // Each patient once, as staff read them: the name, or the number alone when the register has none.
    expect(groups[0]!.residents.map((r) => r.name ?? r.personal_identity_number)).toEqual(['Anna Svensson', '19410730-9173'])
    expect([timeOf(groups[0]!.first), timeOf(groups[0]!.last)]).toEqual(['08:05', '14:40'])
  })

  it('keeps days, people, actions and (for one booking) patients apart, newest first', () => {
    const log = [
      line('sara', 'book', '2026-06-02T09:00:00Z', 'r1'),
      line('sara', 'book', '2026-06-02T08:00:00Z', 'r2'),
      line('sara', 'view_book', '2026-06-02T07:00:00Z', 'r1'),
      line('olle', 'view_book', '2026-06-02T06:00:00Z', 'r1'),
      line('sara', 'view_book', '2026-06-01T07:00:00Z', 'r1'),
    ]
    expect(groupLog(log).map((g) => `${g.actorId} ${g.action} ${g.date} ${g.count}`)).toEqual([
      'sara book 2026-06-02 1',
      'sara book 2026-06-02 1',
      'sara view_book 2026-06-02 1',
      'olle view_book 2026-06-02 1',
      'sara view_book 2026-06-01 1',
    ])
  })

  it('groups an action on one booking, never two bookings', () => {
    const log = [
      line('sara', 'view_booking', '2026-06-02T09:05:00Z', 'r1', 'b1'),
      line('sara', 'view_booking', '2026-06-02T09:00:00Z', 'r1', 'b1'),
      line('sara', 'book', '2026-06-02T08:10:00Z', 'r1', 'b2'),
      line('sara', 'book', '2026-06-02T08:00:00Z', 'r1', 'b1'),
    ]
    expect(groupLog(log).map((g) => `${g.action} ${g.count}`)).toEqual(['view_booking 2', 'book 1', 'book 1'])
  })

  it('takes the day in Stockholm, not in UTC', () => {
    const log = [line('sara', 'view_book', '2026-06-01T22:30:00Z', 'r1'), line('sara', 'view_book', '2026-06-01T21:30:00Z', 'r1')]
    expect(groupLog(log).map((g) => g.date)).toEqual(['2026-06-02', '2026-06-01'])
  })
})

import { describe, expect, it } from 'vitest'
import { fromDrafts, toDrafts } from './ReminderEditor'

describe('reminder drafts', () => {
  it('round-trip the API’s list', () => {
    const list = [
      { hours_before: 168, only_if_booked_hours_ahead: 240 },
      { hours_before: 48, only_if_booked_hours_ahead: null },
    ]
    expect(toDrafts(list)).toEqual([
      { hours_before: '168', only_if_booked_hours_ahead: '240' },
      { hours_before: '48', only_if_booked_hours_ahead: '' },
    ])
    expect(fromDrafts(toDrafts(list))).toEqual(list)
  })

  it('refuse what is not a whole number of hours before any request', () => {
    expect(fromDrafts([{ hours_before: ' 24 ', only_if_booked_hours_ahead: ' ' }])).toEqual([{ hours_before: 24, only_if_booked_hours_ahead: null }])
    expect(fromDrafts([{ hours_before: '24', only_if_booked_hours_ahead: '2,5' }])).toBeNull()
    expect(fromDrafts([{ hours_before: '', only_if_booked_hours_ahead: '' }])).toBeNull()
    expect(fromDrafts([{ hours_before: '-3', only_if_booked_hours_ahead: '' }])).toBeNull()
  })
})

import { describe, expect, it } from 'vitest'
import type { Schemas } from '../../../shared/api/client'
import { newestFirst } from './get-cancellations'

const entry = (id: string, at: string) => ({ at, kind: 'cancelled', booking: { id } }) as unknown as Schemas['FeedEntryResponse']

describe('the cancellation feed', () => {
  it('lists the newest first', () => {
    const feed = [entry('a', '2026-06-01T08:00:00Z'), entry('b', '2026-06-02T08:00:00Z'), entry('c', '2026-06-01T09:30:00+02:00')]
    expect(newestFirst(feed).map((e) => e.booking.id)).toEqual(['b', 'a', 'c'])
  })

  it('puts the later of two at the same instant first', () => {
    const feed = [entry('a', '2026-06-01T08:00:00Z'), entry('b', '2026-06-01T08:00:00Z')]
    expect(newestFirst(feed).map((e) => e.booking.id)).toEqual(['b', 'a'])
  })
})

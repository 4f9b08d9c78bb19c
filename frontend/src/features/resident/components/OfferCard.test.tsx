import { describe, expect, it } from 'vitest'
import { describeWish } from './EarlierTimePanel'
import { minutesLeft } from './OfferCard'
import { translate, type TextKey } from '../../../shared/i18n'

const t = (key: TextKey, vars?: Record<string, string | number>) => translate('sv', key, vars)

describe('an earlier time in words', () => {
  it('names the days, or says any day, and the time from which', () => {
    expect(describeWish({ weekdays: [1, 2, 3, 4, 5, 6, 7], not_before: null }, t)).toBe('alla dagar')
    expect(describeWish({ weekdays: [1, 3], not_before: '09:30' }, t)).toBe('måndag, onsdag, från kl. 09:30')
  })

  it('counts whole minutes left, rounded up, and none once the hold has run out', () => {
    const now = new Date('2026-12-08T09:00:00Z')
    expect(minutesLeft('2026-12-08T09:15:00Z', now)).toBe(15)
    expect(minutesLeft('2026-12-08T09:00:01Z', now)).toBe(1)
    expect(minutesLeft('2026-12-08T09:00:00Z', now)).toBe(0)
    expect(minutesLeft('2026-12-08T08:59:00Z', now)).toBe(0)
  })
})

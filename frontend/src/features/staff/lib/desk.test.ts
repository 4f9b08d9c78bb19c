import { beforeAll, describe, expect, it } from 'vitest'
import { ProblemError, type Schemas } from '../../../shared/api/client'
import { loadLanguage, problemMessage } from '../../../shared/i18n'
import { residentNotice } from '../components/SlotDialog'
import { choosePractitioner } from './practitioner'

const booking = (hidden: boolean, policy: Schemas['PortalPolicyName']) =>
  ({ hidden_in_portal: hidden, appointment_type: { id: 't', name: 'T', mode: 'visit', portal_policy: policy } }) as unknown as Schemas['StaffBookingResponse']

describe('what the resident is told of a staff change', () => {
  it('is a message for a booking they can see, while the region notifies', () => {
    expect(residentNotice(booking(false, 'cancelable'), true)).toBe('told')
    expect(residentNotice(booking(false, 'self_service'), null)).toBe('told')
  })

  it('is nothing for a hidden type or a booking hidden in the portal', () => {
    expect(residentNotice(booking(false, 'hidden'), true)).toBe('hidden')
    expect(residentNotice(booking(true, 'self_service'), true)).toBe('hidden')
  })

  it('is nothing when the region has switched staff notices off', () => {
    expect(residentNotice(booking(false, 'visible'), false)).toBe('switched-off')
  })
})

describe('whose book opens', () => {
  const list = [
    { id: 'a', name: 'Ahmed Karimi', profession: 'Läkare' },
    { id: 'k', name: 'Karin Berg', profession: 'BMA' },
  ]
  it('is the one chosen, else the staff member’s own, else the first', () => {
    expect(choosePractitioner(list, 'k', 'a')).toBe('k')
    expect(choosePractitioner(list, null, 'k')).toBe('k')
    expect(choosePractitioner(list, 'gone', 'unknown')).toBe('a')
    expect(choosePractitioner([], null, 'k')).toBeNull()
  })
})

describe('the server refusing a time that has begun', () => {
  // English is a lazy chunk in the app; here it is fetched up front.
  beforeAll(() => loadLanguage('en'))

  it('is told in Swedish and in English', () => {
    const error = new ProblemError(422, { type: 'https://tidbok.se/problems/starts-in-past', title: 'Starts in the past', status: 422 })
    expect(problemMessage('sv', error)).toBe('Tiden har redan börjat. Välj en tid framåt, eller markera att du registrerar ett besök i efterhand.')
    expect(problemMessage('en', error)).toMatch(/^This time has already started/)
  })
})

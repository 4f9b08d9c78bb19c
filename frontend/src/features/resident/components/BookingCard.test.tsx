import { render, screen } from '@testing-library/react'
import { readFileSync } from 'node:fs'
import { dirname, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import type { Schemas } from '../../../shared/api/client'
import { I18nProvider } from '../../../shared/i18n'
import { en } from '../../../shared/i18n/en'
import { sv } from '../../../shared/i18n/sv'
import { BookingCard, statusText } from './BookingCard'

type Booking = Schemas['BookingResponse']

function booking(patch: Partial<Booking>): Booking {
  return {
    id: 'b1',
    status: 'booked',
    starts_at: '2026-06-02T21:00:00Z',
    ends_at: '2026-06-02T21:15:00Z',
    local_date: '2026-06-02',
    local_start_time: '23:00',
    length_minutes: 15,
    unit: { id: 'u', name: 'Vårdcentralen Nöbbelöv', phone: '046-15 25 35' },
    appointment_type: { id: 't', name: 'Mottagningstid', mode: 'visit', portal_policy: 'cancelable', instructions: 'Ta med legitimation.' },
    practitioner: { id: 'p', name: 'Teodora Tuomainen' },
    reason_for_visit: null,
    message: null,
    booked_by: 'staff',
    booked_at: '2026-05-01T08:00:00Z',
    cancellation: null,
    rebooked_from: null,
    can_cancel: true,
    cannot_cancel_reason: null,
    can_rebook: false,
    cannot_rebook_reason: 'not_rebookable_online',
    ...patch,
  }
}

const renderCard = (b: Booking) =>
  render(
    <I18nProvider initial="sv">
      <BookingCard booking={b} onCancel={() => {}} onRebook={() => {}} />
    </I18nProvider>,
  )

describe('a booking in the resident’s list', () => {
  it('shows the date and time in Swedish with unit, type and practitioner', () => {
    renderCard(booking({}))
    expect(screen.getByRole('heading', { name: 'tisdag 2 juni 2026 kl. 23:00' })).toBeInTheDocument()
    expect(screen.getByText('Vårdcentralen Nöbbelöv')).toBeInTheDocument()
    expect(screen.getByText('Teodora Tuomainen')).toBeInTheDocument()
    expect(screen.getByText('Ta med legitimation.')).toBeInTheDocument()
  })

  it('offers cancel but explains that a cancelable booking cannot be rebooked online', () => {
    renderCard(booking({}))
    expect(screen.getByRole('button', { name: 'Avboka' })).toBeInTheDocument()
    expect(screen.queryByRole('button', { name: 'Omboka' })).not.toBeInTheDocument()
    expect(screen.getByText(/Denna mottagning tillåter inte ombokning av denna tid via e-tjänsten/)).toBeInTheDocument()
  })

  it('offers both for a self-service booking and says nothing more', () => {
    renderCard(booking({ can_rebook: true, cannot_rebook_reason: null, appointment_type: { id: 't', name: 'Provtagning 1177', mode: 'visit', portal_policy: 'self_service' } }))
    expect(screen.getByRole('button', { name: 'Avboka' })).toBeInTheDocument()
    expect(screen.getByRole('button', { name: 'Omboka' })).toBeInTheDocument()
    expect(screen.queryByText(/tillåter inte/)).not.toBeInTheDocument()
  })

  it('says to call the unit when less than 24 hours remain, with no change buttons and the phone as a link', () => {
    renderCard(booking({ can_cancel: false, cannot_cancel_reason: 'cancellation_window_closed', cannot_rebook_reason: 'cancellation_window_closed' }))
    expect(screen.getAllByRole('button').map((b) => b.textContent)).toEqual(['Lägg till i kalendern'])
    expect(screen.getByText(/mindre än 24 timmar kvar/)).toHaveTextContent('Ring mottagningen')
    expect(screen.getByRole('link', { name: '046-15 25 35' })).toHaveAttribute('href', 'tel:046152535')
  })

  it('explains a visible booking once', () => {
    renderCard(booking({ can_cancel: false, cannot_cancel_reason: 'not_cancelable_online', cannot_rebook_reason: 'not_rebookable_online' }))
    expect(screen.getAllByText(/kan inte av- eller ombokas här/)).toHaveLength(1)
    expect(screen.queryByText(/tillåter inte ombokning/)).not.toBeInTheDocument()
  })

  it('shows an arrived booking as visited, never as no longer booked, and offers nothing', () => {
    renderCard(booking({ status: 'arrived', can_cancel: false, cannot_cancel_reason: 'booking_not_active', can_rebook: false, cannot_rebook_reason: 'booking_not_active' }))
    expect(screen.getByText('Besökt')).toBeInTheDocument()
    expect(screen.getByText('Du har besökt mottagningen.')).toBeInTheDocument()
    expect(screen.queryByText(/inte längre bokad/)).not.toBeInTheDocument()
    expect(screen.queryByRole('button')).not.toBeInTheDocument()
  })

  it.each([
    ['cancelled', { by: 'resident' }, 'Avbokad', 'Du har avbokat tiden.'],
    ['cancelled', { by: 'staff' }, 'Avbokad', 'Mottagningen har avbokat tiden.'],
    ['rebooked', null, 'Ombokad', /Tiden är flyttad till en ny tid/],
    ['entered_in_error', null, 'Makulerad', 'Tiden är makulerad av mottagningen.'],
  ] as const)('says what became of a %s booking (%o) and offers no action even if flagged', (status, by, badge, text) => {
    const cancellation = by ? { ...by, reason: 'Frisk', at: '2026-05-02T08:00:00Z' } : null
    // Even with stale flags saying it could be changed, a booking that is not booked offers nothing.
    renderCard(booking({ status, cancellation, can_cancel: true, can_rebook: true, cannot_rebook_reason: null }))
    expect(screen.getByText(badge)).toBeInTheDocument()
    expect(screen.getByText(text)).toBeInTheDocument()
    expect(screen.queryByRole('button')).not.toBeInTheDocument()
  })

  it('has a resident text in Swedish and English for every booking status of the contract', () => {
    const contract = JSON.parse(readFileSync(resolve(dirname(fileURLToPath(import.meta.url)), '../../../../../openapi/openapi.json'), 'utf8'))
    const statuses: Booking['status'][] = contract.components.schemas.BookingStatusName.enum
    expect(statuses).toContain('arrived')
    for (const status of statuses) {
      const key = `status.resident.${status}`
      expect(key in sv && key in en, key).toBe(true)
      const text = statusText(booking({ status }))
      if (status === 'booked') expect(text).toBeNull()
      else expect(text && key in sv && sv[text], status).toBeTruthy()
    }
  })
})

import { render, screen } from '@testing-library/react'
import { describe, expect, it } from 'vitest'
import type { Schemas } from '../../../shared/api/client'
import { I18nProvider } from '../../../shared/i18n'
import { BookingCard } from './BookingCard'

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

  it('says to call the unit when less than 24 hours remain, with no buttons', () => {
    renderCard(booking({ can_cancel: false, cannot_cancel_reason: 'cancellation_window_closed', cannot_rebook_reason: 'cancellation_window_closed' }))
    expect(screen.queryByRole('button')).not.toBeInTheDocument()
    expect(screen.getByText(/mindre än 24 timmar kvar/)).toHaveTextContent('Telefon: 046-15 25 35')
  })

  it('explains a visible booking once', () => {
    renderCard(booking({ can_cancel: false, cannot_cancel_reason: 'not_cancelable_online', cannot_rebook_reason: 'not_rebookable_online' }))
    expect(screen.getAllByText(/kan inte av- eller ombokas här/)).toHaveLength(1)
    expect(screen.queryByText(/tillåter inte ombokning/)).not.toBeInTheDocument()
  })
})

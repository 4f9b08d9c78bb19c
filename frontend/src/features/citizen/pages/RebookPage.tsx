// Omboka: only slots of the same type, length and practitioner (rule 5),
// grouped by date; the move is one step on the server.
import { useState } from 'react'
import { Link, useParams } from 'react-router-dom'
import type { Schemas } from '../../../shared/api/client'
import { useI18n } from '../../../shared/i18n'
import { formatDateLong } from '../../../shared/lib/dates'
import { Button, ErrorNotice, Loading, Page, Result } from '../../../shared/ui'
import { useMyBooking } from '../api/get-my-booking'
import { useRebookTargets } from '../api/get-rebook-targets'
import { useRebook } from '../api/rebook'
import { BookingCard } from '../components/BookingCard'

export function RebookPage() {
  const { bookingId = '' } = useParams()
  const { t, lang } = useI18n()
  const booking = useMyBooking(bookingId)
  const targets = useRebookTargets(bookingId)
  const rebook = useRebook()
  const [choice, setChoice] = useState<Schemas['SlotResponse'] | null>(null)
  const [key] = useState(() => crypto.randomUUID())
  const byDate = new Map<string, Schemas['SlotResponse'][]>()
  for (const s of targets.data ?? []) byDate.set(s.local_date, [...(byDate.get(s.local_date) ?? []), s])

  if (rebook.data) {
    return (
      <Page title={t('rebook.title')}>
        <Result id={rebook.data.id}>{t('rebook.done', { date: formatDateLong(rebook.data.local_date, lang), time: rebook.data.local_start_time })}</Result>
        <Link to="/bookings">{t('book.toBookings')}</Link>
      </Page>
    )
  }

  if (booking.data && booking.data.status !== 'booked') {
    // Nothing to move: say what became of it instead of offering targets.
    return (
      <Page title={t('rebook.title')}>
        <BookingCard booking={booking.data} />
        <Link to="/bookings">{t('book.toBookings')}</Link>
      </Page>
    )
  }

  return (
    <Page title={t('rebook.title')}>
      {booking.data && (
        <div className="card">
          <h2>{t('bookings.at', { date: formatDateLong(booking.data.local_date, lang), time: booking.data.local_start_time })}</h2>
          <p>
            {booking.data.appointment_type.name}, {booking.data.practitioner.name}, {booking.data.unit.name}
          </p>
        </div>
      )}
      <p>{t('rebook.intro')}</p>
      {targets.isPending && <Loading />}
      <ErrorNotice error={targets.error ?? booking.error} />
      {targets.data?.length === 0 && <p>{t('rebook.none')}</p>}
      <form
        onSubmit={(e) => {
          e.preventDefault()
          if (choice) rebook.mutate({ bookingId, slotId: choice.id, key })
        }}
      >
        {[...byDate.entries()].map(([date, slots]) => (
          <fieldset key={date}>
            <legend>{formatDateLong(date, lang)}</legend>
            <div className="times">
              {slots.map((s) => (
                <label key={s.id} className="choice">
                  <input type="radio" name="target" value={s.id} checked={choice?.id === s.id} onChange={() => setChoice(s)} />
                  <span>{s.local_start_time}</span>
                </label>
              ))}
            </div>
          </fieldset>
        ))}
        <ErrorNotice error={rebook.error} />
        <div className="buttons">
          <Link to="/bookings">{t('common.cancel')}</Link>
          <Button type="submit" disabled={!choice || rebook.isPending}>
            {choice ? t('rebook.confirm', { date: formatDateLong(choice.local_date, lang), time: choice.local_start_time }) : t('bookings.rebook')}
          </Button>
        </div>
      </form>
    </Page>
  )
}

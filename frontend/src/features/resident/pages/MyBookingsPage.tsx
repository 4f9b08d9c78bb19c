import { useEffect, useState } from 'react'
import { useNavigate, useSearchParams } from 'react-router-dom'
import type { Schemas } from '../../../shared/api/client'
import { useI18n } from '../../../shared/i18n'
import { formatDateLong } from '../../../shared/lib/dates'
import { Button, Dialog, ErrorNotice, Loading, Page, Result, TextArea } from '../../../shared/ui'
import { useCancelBooking } from '../api/cancel-booking'
import { useMyBookings } from '../api/get-my-bookings'
import { useEarlierTimes, useOffers } from '../api/earlier-time'
import { OfferCard } from '../components/OfferCard'
import { InvitationList } from './InvitationPage'
import { BookingCard } from '../components/BookingCard'
import { ActingForSwitcher } from '../components/ActingForSwitcher'
import { useSession } from '../../../shared/auth/session'

type Booking = Schemas['BookingResponse']

export function MyBookingsPage() {
  const { t, lang } = useI18n()
  const navigate = useNavigate()
  const { session } = useSession()
  const bookings = useMyBookings()
  const wishes = useEarlierTimes()
  const offers = useOffers()
  const [cancelling, setCancelling] = useState<Booking | null>(null)
  // The last cancellation: its message takes focus where the list begins.
  const [done, setDone] = useState<{ id: string; text: string } | null>(null)
  // A reminder's link (/bookings?booking=<id>) opens the list on that booking.
  const [params] = useSearchParams()
  const linked = params.get('booking')
  const found = linked !== null && bookings.data?.some((b) => b.id === linked)
  useEffect(() => {
    if (!found) return
    const card = document.getElementById(`booking-${linked}`)
    card?.scrollIntoView({ block: 'start' })
    card?.focus()
  }, [found, linked])
  return (
    <Page title={t('bookings.title')}>
      <p>{t('bookings.intro')}</p>
      {session && <ActingForSwitcher self={session.name} />}
      {done && <Result id={done.id}>{done.text}</Result>}
      <InvitationList />
      {offers.data && offers.data.length > 0 && (
        <section aria-labelledby="offers-heading">
          <h2 id="offers-heading">{t('offer.title')}</h2>
          <ul className="list">
            {offers.data.map((o) => (
              <li key={o.id}>
                <OfferCard
                  offer={o}
                  current={bookings.data?.find((b) => b.id === o.booking_id)}
                  onAccepted={(b) =>
                    setDone({
                      id: `accepted-${o.id}`,
                      text: t('offer.accepted', { when: t('bookings.at', { date: formatDateLong(b.local_date, lang), time: b.local_start_time }) }),
                    })
                  }
                  onDeclined={() => setDone({ id: `declined-${o.id}`, text: t('offer.declined') })}
                />
              </li>
            ))}
          </ul>
        </section>
      )}
      {bookings.isPending && <Loading />}
      <ErrorNotice error={bookings.error} />
      {bookings.data?.length === 0 && <p>{t('bookings.empty')}</p>}
      {linked && bookings.data && !found && <p className="notice notice--info">{t('bookings.linkedGone')}</p>}
      <ul className="list">
        {bookings.data?.map((b) => (
          <li key={b.id} id={`booking-${b.id}`} tabIndex={b.id === linked ? -1 : undefined} className={b.id === linked ? 'linked' : undefined}>
            <BookingCard
              booking={b}
              onCancel={setCancelling}
              onRebook={(booking) => navigate(`/bookings/${booking.id}/rebook`)}
              earlierTime={wishes.data ? { wish: wishes.data.find((w) => w.booking_id === b.id) } : undefined}
            />
          </li>
        ))}
      </ul>
      <Dialog title={t('cancel.title')} open={cancelling !== null} onClose={() => setCancelling(null)}>
        {cancelling && (
          <CancelForm
            booking={cancelling}
            onDone={() => {
              const when = t('bookings.at', { date: formatDateLong(cancelling.local_date, lang), time: cancelling.local_start_time })
              setDone({ id: cancelling.id, text: t('cancel.done', { what: `${when}, ${cancelling.appointment_type.name}, ${cancelling.unit.name}` }) })
              setCancelling(null)
            }}
          />
        )}
      </Dialog>
    </Page>
  )
}

function CancelForm({ booking, onDone }: { booking: Booking; onDone: () => void }) {
  const { t, lang, fieldErrors } = useI18n()
  const cancel = useCancelBooking()
  const fields = fieldErrors(cancel.error)
  const [reason, setReason] = useState('')
  const [missing, setMissing] = useState(false)
  return (
    <form
      noValidate
      onSubmit={(e) => {
        e.preventDefault()
        if (!reason.trim()) {
          setMissing(true)
          return
        }
        void cancel.mutateAsync({ bookingId: booking.id, reason }).then(onDone, () => undefined)
      }}
    >
      <p>
        {t('bookings.at', { date: formatDateLong(booking.local_date, lang), time: booking.local_start_time })}, {booking.appointment_type.name},{' '}
        {booking.unit.name}
      </p>
      <TextArea
        label={t('cancel.reason')}
        required
        maxLength={500}
        value={reason}
        error={missing ? t('cancel.reasonMissing') : fields.reason}
        onChange={(e) => {
          setReason(e.target.value)
          setMissing(false)
        }}
      />
      {!fields.reason && <ErrorNotice error={cancel.error} />}
      <div className="buttons">
        <Button type="submit" variant="danger" disabled={cancel.isPending}>
          {t('cancel.confirm')}
        </Button>
      </div>
    </form>
  )
}

// One of the resident's bookings, with what can be done online and, when
// nothing can, why in plain words. A booking that is no longer booked says
// what became of it (visited, cancelled, moved, void) and offers nothing.
import { useState } from 'react'
import type { Schemas } from '../../../shared/api/client'
import { useI18n, type TextKey } from '../../../shared/i18n'
import { formatDateLong } from '../../../shared/lib/dates'
import { Button, ErrorNotice, PhoneLink } from '../../../shared/ui'
import { downloadCalendarFile } from '../api/calendar-file'
import { EarlierTimePanel } from './EarlierTimePanel'

type Booking = Schemas['BookingResponse']

interface Props {
  booking: Booking
  onCancel?: (booking: Booking) => void
  onRebook?: (booking: Booking) => void
  /** The booking's wish for an earlier time (rule 15); shown with its
   * controls when given and the booking may be moved online. */
  earlierTime?: { wish: Schemas['EarlierTimeResponse'] | undefined }
}

/** What became of a booking that is not (or no longer) booked, in the resident's words. */
export function statusText(booking: Booking): TextKey | null {
  switch (booking.status) {
    case 'booked':
      return null
    case 'arrived':
      return 'bookings.status.arrived'
    case 'cancelled':
      return booking.cancellation?.by === 'staff' ? 'bookings.status.cancelledByUnit' : 'bookings.status.cancelled'
    case 'rebooked':
      return 'bookings.status.rebooked'
    case 'entered_in_error':
      return 'bookings.status.entered_in_error'
  }
}

export function BookingCard({ booking, onCancel, onRebook, earlierTime }: Props) {
  const { t, lang } = useI18n()
  const booked = booking.status === 'booked'
  const outcome = statusText(booking)
  // When it cannot be cancelled, that reason covers rebooking too; a
  // cancelable booking says why it cannot be rebooked.
  const reason = booked ? (booking.can_cancel ? booking.cannot_rebook_reason : booking.cannot_cancel_reason) : null
  const canCancel = booked && booking.can_cancel && onCancel
  const canRebook = booked && booking.can_rebook && onRebook
  const when = t('bookings.at', { date: formatDateLong(booking.local_date, lang), time: booking.local_start_time })
  const phone = booking.unit.phone
  return (
    <article className={booked ? 'card' : 'card card--past'} aria-label={`${when}, ${booking.appointment_type.name}`}>
      {!booked && <p className="badge">{t(`status.resident.${booking.status}` as TextKey)}</p>}
      <h2>{when}</h2>
      <dl>
        <dt>{t('common.unit')}</dt>
        <dd>{booking.unit.name}</dd>
        <dt>{t('common.type')}</dt>
        <dd>{booking.appointment_type.name}</dd>
        <dt>{t('common.practitioner')}</dt>
        <dd>{booking.practitioner.name}</dd>
        {phone && (
          <>
            <dt>{t('common.phone')}</dt>
            <dd>
              <PhoneLink phone={phone} />
            </dd>
          </>
        )}
      </dl>
      {booked && booking.appointment_type.instructions && <p>{booking.appointment_type.instructions}</p>}
      {booking.booked_by === 'staff' && booked && <p className="muted">{t('bookings.bookedByStaff')}</p>}
      {booking.booked_by === 'guardian' && booked && <p className="muted">{t('bookings.bookedByGuardian')}</p>}
      {outcome && <p className="notice">{t(outcome)}</p>}
      {reason && (
        <p className="notice notice--warning">{t(`bookings.why.${reason}` as TextKey)}</p>
      )}
      {booked && <CalendarButton bookingId={booking.id} />}
      {booked && booking.can_rebook && earlierTime && <EarlierTimePanel bookingId={booking.id} wish={earlierTime.wish} />}
      {(canCancel || canRebook) && (
        <div className="buttons">
          {canRebook && (
            <Button variant="secondary" onClick={() => onRebook(booking)}>
              {t('bookings.rebook')}
            </Button>
          )}
          {canCancel && (
            <Button variant="danger" onClick={() => onCancel(booking)}>
              {t('bookings.cancel')}
            </Button>
          )}
        </div>
      )}
    </article>
  )
}

/** "Lägg till i kalender": the booking's calendar file (rule 18); a failure is said beside the button. */
function CalendarButton({ bookingId }: { bookingId: string }) {
  const { t } = useI18n()
  const [failed, setFailed] = useState<unknown>(null)
  return (
    <div className="buttons">
      <Button
        variant="link"
        onClick={() => {
          setFailed(null)
          downloadCalendarFile(bookingId).catch(setFailed)
        }}
      >
        {t('bookings.addToCalendar')}
      </Button>
      <ErrorNotice error={failed} />
    </div>
  )
}

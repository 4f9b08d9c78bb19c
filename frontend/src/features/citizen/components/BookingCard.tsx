// One of the resident's bookings, with what can be done online and, when
// nothing can, why in plain words.
import type { Schemas } from '../../../shared/api/client'
import { useI18n, type TextKey } from '../../../shared/i18n'
import { formatDateLong } from '../../../shared/lib/dates'
import { Button } from '../../../shared/ui'

type Booking = Schemas['BookingResponse']

interface Props {
  booking: Booking
  onCancel?: (booking: Booking) => void
  onRebook?: (booking: Booking) => void
}

export function BookingCard({ booking, onCancel, onRebook }: Props) {
  const { t, lang } = useI18n()
  // When it cannot be cancelled, that reason covers rebooking too; a
  // cancelable booking says why it cannot be rebooked.
  const reason = booking.can_cancel ? booking.cannot_rebook_reason : booking.cannot_cancel_reason
  const when = t('bookings.at', { date: formatDateLong(booking.local_date, lang), time: booking.local_start_time })
  return (
    <article className="card" aria-label={`${when}, ${booking.appointment_type.name}`}>
      <h2>{when}</h2>
      <dl>
        <dt>{t('common.unit')}</dt>
        <dd>{booking.unit.name}</dd>
        <dt>{t('common.type')}</dt>
        <dd>{booking.appointment_type.name}</dd>
        <dt>{t('common.practitioner')}</dt>
        <dd>{booking.practitioner.name}</dd>
      </dl>
      {booking.appointment_type.instructions && <p>{booking.appointment_type.instructions}</p>}
      {booking.booked_by === 'staff' && <p className="muted">{t('bookings.bookedByStaff')}</p>}
      {reason && (
        <p className="notice notice--warning">
          {t(`bookings.why.${reason}` as TextKey)}
          {booking.unit.phone && ` ${t('bookings.callUnit', { phone: booking.unit.phone })}`}
        </p>
      )}
      {(booking.can_cancel || booking.can_rebook) && (
        <div className="buttons">
          {booking.can_rebook && onRebook && (
            <Button variant="secondary" onClick={() => onRebook(booking)}>
              {t('bookings.rebook')}
            </Button>
          )}
          {booking.can_cancel && onCancel && (
            <Button variant="danger" onClick={() => onCancel(booking)}>
              {t('bookings.cancel')}
            </Button>
          )}
        </div>
      )}
    </article>
  )
}

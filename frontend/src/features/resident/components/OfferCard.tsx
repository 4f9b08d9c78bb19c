// Rule 16: an offer of an earlier time, held for this resident until
// `expires_at`. It says what it would replace, counts down, and takes the
// time (after a question: the current time is given back) or declines it.
// When the hold has run out it says so and offers nothing.
import { useEffect, useState } from 'react'
import type { Schemas } from '../../../shared/api/client'
import { useI18n } from '../../../shared/i18n'
import { formatDateLong, formatTime } from '../../../shared/lib/dates'
import { Button, ErrorNotice } from '../../../shared/ui'
import { ConfirmDialog } from '../../../shared/ui/ConfirmDialog'
import { useAcceptOffer, useDeclineOffer } from '../api/earlier-time'

type Offer = Schemas['OfferResponse']
type Booking = Schemas['BookingResponse']

/** Whole minutes left, rounded up; 0 once the hold has run out. */
export function minutesLeft(expiresAt: string, now: Date): number {
  return Math.max(0, Math.ceil((new Date(expiresAt).getTime() - now.getTime()) / 60_000))
}

interface Props {
  offer: Offer
  /** The booking the offer would move, when listed. */
  current: Booking | undefined
  onAccepted: (booking: Booking) => void
  onDeclined: () => void
}

export function OfferCard({ offer, current, onAccepted, onDeclined }: Props) {
  const { t, lang } = useI18n()
  const [now, setNow] = useState(() => new Date())
  useEffect(() => {
    const timer = window.setInterval(() => setNow(new Date()), 5_000)
    return () => window.clearInterval(timer)
  }, [])
  const [asking, setAsking] = useState(false)
  const accept = useAcceptOffer()
  const decline = useDeclineOffer()
  const left = minutesLeft(offer.expires_at, now)
  const slot = offer.slot
  const when = t('bookings.at', { date: formatDateLong(slot.local_date, lang), time: slot.local_start_time })
  const was = current && t('bookings.at', { date: formatDateLong(current.local_date, lang), time: current.local_start_time })
  return (
    <article className="card card--offer" aria-labelledby={`offer-${offer.id}`}>
      <p className="badge">{t('offer.badge')}</p>
      <h2 id={`offer-${offer.id}`}>{when}</h2>
      <dl>
        <dt>{t('common.unit')}</dt>
        <dd>{slot.unit.name}</dd>
        <dt>{t('common.type')}</dt>
        <dd>{slot.appointment_type.name}</dd>
        <dt>{t('common.practitioner')}</dt>
        <dd>{slot.practitioner.name}</dd>
        {was && (
          <>
            <dt>{t('offer.replaces')}</dt>
            <dd>{was}</dd>
          </>
        )}
      </dl>
      {left > 0 ? (
        <>
          <p className="notice notice--warning">
            {t('offer.heldUntil', { time: formatTime(offer.expires_at) })} <span className="muted">({t('offer.minutesLeft', { n: left })})</span>
          </p>
          <ErrorNotice error={decline.error} />
          <div className="buttons">
            <Button onClick={() => setAsking(true)}>{t('offer.accept')}</Button>
            <Button variant="secondary" disabled={decline.isPending} onClick={() => void decline.mutateAsync(offer.id).then(onDeclined, () => undefined)}>
              {t('offer.decline')}
            </Button>
          </div>
        </>
      ) : (
        <p className="notice">{t('offer.expired')}</p>
      )}
      <ConfirmDialog
        open={asking}
        title={t('offer.confirmTitle')}
        confirmLabel={t('offer.confirm')}
        pending={accept.isPending}
        error={accept.error ? <ErrorNotice error={accept.error} /> : undefined}
        onCancel={() => setAsking(false)}
        onConfirm={() =>
          void accept.mutateAsync(offer.id).then((booking) => {
            setAsking(false)
            onAccepted(booking as Booking)
          }, () => undefined)
        }
      >
        <p>{t('offer.confirmText', { when, was: was ?? t('offer.yourTime') })}</p>
      </ConfirmDialog>
    </article>
  )
}

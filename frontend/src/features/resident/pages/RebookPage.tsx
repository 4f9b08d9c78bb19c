// Omboka, the way the booking flow books: a month calendar of the dates the
// booking can move to (only targets rule 5 allows: same type, length,
// practitioner and unit), the first of them preselected and days without a
// target disabled; then that one date's times, a time within 24 hours
// warned about; then "old time → new time" to confirm; then the result, in
// focus.
//
// The step and the choices live in the URL (?step=date&date=…&slot=…, and
// ?step=done&booking=<the new booking> afterwards), so Back, Forward and
// reload keep them. A URL that asks for more than its choices allow (a time
// taken meanwhile, a date outside the horizon) falls back to the date step.
import { useCallback, useEffect, useRef, useState, type ReactNode, type RefObject } from 'react'
import { Link, useParams, useSearchParams } from 'react-router-dom'
import { ProblemError } from '../../../shared/api/client'
import { useI18n } from '../../../shared/i18n'
import { formatDateLong } from '../../../shared/lib/dates'
import { Button, ErrorNotice, Loading, Notice, Page, Result, TextWithPhone } from '../../../shared/ui'
import { useMyBooking } from '../api/get-my-booking'
import { useRebookDates } from '../api/get-rebook-dates'
import { useRebookTargets } from '../api/get-rebook-targets'
import { useRebook } from '../api/rebook'
import { BookingCalendar } from '../components/BookingCalendar'
import { BookingCard } from '../components/BookingCard'
import { TimePicker } from '../components/TimePicker'
import { useShown } from '../lib/use-shown'
import { startsWithin24h } from '../lib/within-24h'

const STEPS = ['date', 'confirm'] as const
type StepName = (typeof STEPS)[number]
const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/

/** Refusals the unit can help with on the phone: their message shows its number. */
const CALL_THE_UNIT = new Set<string>(['cancellation-window-closed', 'not-rebookable-online', 'service-not-active', 'date-outside-horizon'])
/** Refusals of one target, after which another time can still be chosen. */
const CHOOSE_AGAIN = new Set<string>(['slot-already-booked', 'rebook-mismatch', 'date-outside-horizon', 'not-found'])
/** Failures on the way, after which the same request may simply be sent again (with the same key). */
const TRY_AGAIN = new Set<string>(['network', 'internal-error', 'service-unavailable', 'rate-limited'])

/** What both a booking and a slot tell of a time. */
interface Moment {
  local_date: string
  local_start_time: string
  unit: { name: string }
  practitioner: { name: string }
  appointment_type: { name: string }
}

export function RebookPage() {
  const { bookingId = '' } = useParams()
  const [params, setParams] = useSearchParams()
  if (params.get('step') === 'done') return <Done bookingId={params.get('booking') ?? ''} />
  return <Flow key={bookingId} bookingId={bookingId} params={params} setParams={setParams} />
}

interface FlowProps {
  bookingId: string
  params: URLSearchParams
  setParams: ReturnType<typeof useSearchParams>[1]
}

function Flow({ bookingId, params, setParams }: FlowProps) {
  const { t } = useI18n()
  const booking = useMyBooking(bookingId)
  const old = booking.data
  const movable = old?.status === 'booked' && old.can_rebook
  const dates = useRebookDates(bookingId, movable)
  // When the flow was opened: "within 24 hours" counts from it.
  const [openedAt] = useState(() => Date.now())
  const [key, setKey] = useState(() => crypto.randomUUID())
  const [staleSlot, setStaleSlot] = useState(false)
  const rebook = useRebook()
  // How many steps this flow has shown: the first view's focus is the page
  // heading's, every later step's heading takes it.
  const stepsShown = useRef(0)

  // What the URL asks for, checked against what the server says is there.
  const requested: StepName = params.get('step') === 'confirm' ? 'confirm' : 'date'
  const dateParam = params.get('date')
  const date =
    dateParam && ISO_DATE.test(dateParam) && dates.data && dateParam >= dates.data.horizon_first && dateParam <= dates.data.horizon_last ? dateParam : null
  const [shownDate, showDate] = useShown(date)
  const targets = useRebookTargets(bookingId, shownDate)
  const slotParam = params.get('slot')
  const [shownSlot, showSlot] = useShown(slotParam)
  const slot = targets.data?.find((s) => s.id === slotParam) ?? null

  const deciding = booking.isPending || (movable && dates.isPending && !dates.isError) || (date !== null && targets.isPending && !targets.isError)
  const step: StepName = requested === 'confirm' && slot ? 'confirm' : 'date'

  /** Moves to `next`, setting or dropping params; a new history entry unless `replace`. */
  const go = useCallback(
    (next: StepName, changes: Record<string, string | null> = {}, replace = false) => {
      setParams(
        (current) => {
          const out = new URLSearchParams(current)
          out.set('step', next)
          for (const [name, value] of Object.entries(changes)) {
            if (value === null) out.delete(name)
            else out.set(name, value)
          }
          return out
        },
        { replace },
      )
    },
    [setParams],
  )

  // Bring the URL in line with the step shown, dropping what the server has
  // shown to be gone (a time taken meanwhile says so).
  useEffect(() => {
    if (deciding || !movable) return
    const drop: Record<string, string | null> = {}
    if (dates.isSuccess && dateParam && !date) Object.assign(drop, { date: null, slot: null })
    else if (targets.isSuccess && slotParam && !slot) {
      setStaleSlot(true)
      drop.slot = null
    }
    if (step !== requested || Object.keys(drop).length > 0) go(step, drop, true)
  }, [deciding, movable, step, requested, dates.isSuccess, dateParam, date, targets.isSuccess, slotParam, slot, go])

  const selectDate = useCallback(
    (d: string) => {
      showDate(d)
      go('date', { date: d, slot: null }, true)
    },
    [go, showDate],
  )

  const title = t('rebook.title')
  if (old && !movable) {
    // Nothing to move: say what became of it, or why it cannot move, instead of offering targets.
    return (
      <Page title={title}>
        <BookingCard booking={old} />
        <Link to="/bookings">{t('book.toBookings')}</Link>
      </Page>
    )
  }
  if (deciding && step !== requested) {
    return (
      <Page title={title}>
        <Loading />
      </Page>
    )
  }

  const phone = old?.unit.phone ?? null
  const refusal = rebook.error instanceof ProblemError ? rebook.error.slug : null
  return (
    <Page title={title}>
      {booking.isPending && <Loading />}
      <ErrorNotice error={booking.error} />
      {old && step === 'date' && (
        <>
          <When heading={2} title={t('rebook.current')} moment={old} />
          <p>{t('rebook.intro')}</p>
          <Step name="date" title={t('rebook.chooseDay')} shownRef={stepsShown}>
            {staleSlot && <Notice kind="warning">{t('book.slotGone')}</Notice>}
            {dates.isPending && <Loading />}
            {dates.error ? <Refusal error={dates.error} phone={phone} /> : null}
            {dates.data && <p>{dates.data.first_free_date ? t('book.firstFree') : t('rebook.none')}</p>}
            {dates.data?.first_free_date && <BookingCalendar availability={dates.data} selected={shownDate} onSelect={selectDate} />}
            {shownDate && (
              <TimePicker
                date={shownDate}
                slots={targets}
                selected={shownSlot}
                now={openedAt}
                within24h={t('rebook.within24h')}
                onSelect={(s) => {
                  setStaleSlot(false)
                  showSlot(s.id)
                  go('date', { slot: s.id }, true)
                }}
              />
            )}
            <div className="buttons">
              <Link to="/bookings" className="button button--secondary">
                {t('common.cancel')}
              </Link>
              <Button
                disabled={!slot}
                onClick={() => {
                  // A new choice is a new request: a retry of this one reuses the key.
                  setKey(crypto.randomUUID())
                  rebook.reset()
                  go('confirm')
                }}
              >
                {t('common.continue')}
              </Button>
            </div>
          </Step>
        </>
      )}
      {old && step === 'confirm' && slot && (
        <Step name="confirm" title={t('rebook.confirmTitle')} shownRef={stepsShown}>
          <div className="rebook-change">
            <When heading={3} title={t('rebook.current')} moment={old} />
            <p className="rebook-change__arrow" aria-hidden="true">
              ↓
            </p>
            <When heading={3} title={t('rebook.new')} moment={slot} fresh />
          </div>
          {startsWithin24h(slot.starts_at, openedAt) && <Notice kind="warning">{t('rebook.within24h')}</Notice>}
          {rebook.error ? (
            // Where the person is looking: the refusal takes focus, and another attempt takes it again.
            <Result id={String(rebook.submittedAt)} kind="error">
              <RefusalText error={rebook.error} phone={phone} />
            </Result>
          ) : null}
          <div className="buttons">
            <Button variant="secondary" onClick={() => go('date')}>
              {t('common.back')}
            </Button>
            {refusal && CHOOSE_AGAIN.has(refusal) ? (
              <Button
                onClick={() => {
                  rebook.reset()
                  void targets.refetch()
                  void dates.refetch()
                  go('date', { slot: null })
                }}
              >
                {t('rebook.chooseOther')}
              </Button>
            ) : refusal && !TRY_AGAIN.has(refusal) ? (
              <Link to="/bookings" className="button button--secondary">
                {t('book.toBookings')}
              </Link>
            ) : (
              <Button
                disabled={rebook.isPending}
                onClick={() =>
                  void rebook.mutateAsync({ bookingId, slotId: slot.id, key }).then(
                    // The result replaces the confirm step: Back does not offer to move it again.
                    (moved) => setParams({ step: 'done', booking: moved.id }, { replace: true }),
                    () => undefined,
                  )
                }
              >
                {t('rebook.confirm')}
              </Button>
            )}
          </div>
        </Step>
      )}
    </Page>
  )
}

function Step({ name, title, shownRef, children }: { name: StepName; title: string; shownRef: RefObject<number>; children: ReactNode }) {
  const { t } = useI18n()
  const heading = useRef<HTMLHeadingElement>(null)
  // A step after the first view is a new view: its heading takes focus (and so comes into view).
  useEffect(() => {
    if (shownRef.current++ > 0) heading.current?.focus()
  }, [shownRef])
  return (
    <section aria-labelledby={`step-${name}`}>
      <p className="steps">{t('rebook.step', { n: STEPS.indexOf(name) + 1 })}</p>
      <h2 id={`step-${name}`} ref={heading} tabIndex={-1}>
        {title}
      </h2>
      {children}
    </section>
  )
}

/** A time with its date, unit, practitioner and type: the booking now, or the time it moves to. */
function When({ heading, title, moment, fresh = false }: { heading: 2 | 3; title: string; moment: Moment; fresh?: boolean }) {
  const { t, lang } = useI18n()
  const Heading = heading === 2 ? 'h2' : 'h3'
  return (
    <section className={fresh ? 'card moment moment--new' : 'card moment'}>
      <Heading className="moment__title">{title}</Heading>
      <p className="moment__when">{t('bookings.at', { date: formatDateLong(moment.local_date, lang), time: moment.local_start_time })}</p>
      <dl>
        <dt>{t('common.unit')}</dt>
        <dd>{moment.unit.name}</dd>
        <dt>{t('common.practitioner')}</dt>
        <dd>{moment.practitioner.name}</dd>
        <dt>{t('common.type')}</dt>
        <dd>{moment.appointment_type.name}</dd>
      </dl>
    </section>
  )
}

/** A refusal in the resident's language, with the unit's phone when calling helps. */
function RefusalText({ error, phone }: { error: unknown; phone: string | null }) {
  const { t, problem } = useI18n()
  return (
    <>
      {problem(error)}
      {phone && error instanceof ProblemError && CALL_THE_UNIT.has(error.slug) && (
        <>
          {' '}
          <TextWithPhone text={t('bookings.callUnit')} phone={phone} />
        </>
      )}
    </>
  )
}

function Refusal({ error, phone }: { error: unknown; phone: string | null }) {
  return (
    <Notice kind="error">
      <RefusalText error={error} phone={phone} />
    </Notice>
  )
}

/** The result, also after a reload: the new booking is read by its id. */
function Done({ bookingId }: { bookingId: string }) {
  const { t, lang } = useI18n()
  const booking = useMyBooking(bookingId)
  return (
    <Page title={t('rebook.title')}>
      {booking.isPending && <Loading />}
      <ErrorNotice error={booking.error} />
      {booking.data && (
        <>
          <Result id={booking.data.id}>{t('rebook.done', { date: formatDateLong(booking.data.local_date, lang), time: booking.data.local_start_time })}</Result>
          <BookingCard booking={booking.data} />
        </>
      )}
      <Link to="/bookings">{t('book.toBookings')}</Link>
    </Page>
  )
}

// The booking flow of the seed slides: confirm the terms → choose a type →
// a month calendar with the first free day preselected → a time → reason and
// message → confirm → confirmation.
//
// The step and the choices live in the URL (?step=date&type=…&date=…&slot=…),
// so Back, Forward and reload move through the flow and keep it. Only ids
// and a date go there; the terms confirmation and the free text (reason,
// message) stay in sessionStorage. A URL that asks for more than its
// choices allow (a stale slot, an unknown type, a step too far) falls back
// to the furthest step they do allow.
import { useCallback, useEffect, useRef, useState, type ReactNode } from 'react'
import { Link, useParams, useSearchParams } from 'react-router-dom'
import { ProblemError, type Schemas } from '../../../shared/api/client'
import { useI18n, type TextKey } from '../../../shared/i18n'
import { formatDateLong } from '../../../shared/lib/dates'
import { clearDraft, readDraft, writeDraft } from '../../../shared/lib/drafts'
import { Button, Checkbox, ErrorNotice, Loading, Notice, Page, TextArea, TextField, TextWithPhone } from '../../../shared/ui'
import { useBookSlot } from '../api/book'
import { useActingChild } from '../api/children'
import { useAvailableDates } from '../api/get-available-dates'
import { useBookableTypes } from '../api/get-bookable-types'
import { useFreeSlots } from '../api/get-free-slots'
import { useMyBooking } from '../api/get-my-booking'
import { useUnit } from '../api/get-unit'
import { BookingCalendar } from '../components/BookingCalendar'
import { TimePicker } from '../components/TimePicker'
import { useShown } from '../lib/use-shown'
import { startsWithin24h } from '../lib/within-24h'

const STEPS = ['terms', 'type', 'date', 'details', 'confirm'] as const
type StepName = (typeof STEPS)[number]
type Type = Schemas['AppointmentTypeResponse']

const isStep = (value: string | null): value is StepName => STEPS.includes(value as StepName)
const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/

interface Draft {
  accepted: boolean
  reason: string
  message: string
}
const EMPTY: Draft = { accepted: false, reason: '', message: '' }

/** The unit's booking draft in sessionStorage, as React state. */
function useDraft(unitId: string): [Draft, (patch: Partial<Draft>) => void] {
  const name = `book.${unitId}`
  const [draft, setDraft] = useState<Draft>(() => readDraft(name, EMPTY))
  const update = useCallback(
    (patch: Partial<Draft>) =>
      setDraft((current) => {
        const next = { ...current, ...patch }
        writeDraft(name, next)
        return next
      }),
    [name],
  )
  return [draft, update]
}

function Step({ name, title, children }: { name: StepName; title: string; children: ReactNode }) {
  const { t } = useI18n()
  const heading = useRef<HTMLHeadingElement>(null)
  // Each step is a new view: its heading takes focus (and so comes into view).
  useEffect(() => heading.current?.focus(), [])
  const n = STEPS.indexOf(name) + 1
  return (
    <section aria-labelledby={`step-${name}`}>
      <p className="steps">{t('book.step', { n })}</p>
      <h2 id={`step-${name}`} ref={heading} tabIndex={-1}>
        {title}
      </h2>
      {children}
    </section>
  )
}

export function BookPage() {
  const { unitId = '' } = useParams()
  const [params, setParams] = useSearchParams()
  if (params.get('step') === 'done') return <Done unitId={unitId} bookingId={params.get('booking') ?? ''} />
  return <Flow key={unitId} unitId={unitId} params={params} setParams={setParams} />
}

interface FlowProps {
  unitId: string
  params: URLSearchParams
  setParams: ReturnType<typeof useSearchParams>[1]
}

/** Refusals the unit can help with on the phone: their message shows its number. */
const CALL_THE_UNIT = new Set<string>(['not-eligible', 'booking-limit-reached', 'service-not-active', 'not-bookable-online', 'date-outside-horizon'])

function Flow({ unitId, params, setParams }: FlowProps) {
  const { t, lang, problem, fieldErrors } = useI18n()
  const unit = useUnit(unitId)
  const child = useActingChild()
  const [draft, updateDraft] = useDraft(unitId)
  const [termsError, setTermsError] = useState(false)
  const [reasonError, setReasonError] = useState(false)
  const [staleSlot, setStaleSlot] = useState(false)
  const [key, setKey] = useState(() => crypto.randomUUID())
  // When the flow was opened: a time within 24 hours of it cannot be changed online.
  const [openedAt] = useState(() => Date.now())
  const book = useBookSlot()

  const terms = unit.data?.services.find((s) => s.service === 'book_online')
  const requested: StepName = isStep(params.get('step')) ? (params.get('step') as StepName) : 'terms'
  const wants = (step: StepName) => STEPS.indexOf(requested) >= STEPS.indexOf(step)

  // What the URL asks for, checked against what the server says is there.
  const types = useBookableTypes(unitId, draft.accepted)
  const typeParam = params.get('type')
  const type = types.data?.find((x) => x.id === typeParam && x.bookable)
  const dates = useAvailableDates(unitId, wants('date') && type ? type.id : null)
  const dateParam = params.get('date')
  const date =
    dateParam && ISO_DATE.test(dateParam) && dates.data && dateParam >= dates.data.horizon_first && dateParam <= dates.data.horizon_last ? dateParam : null
  const [shownDate, showDate] = useShown(date)
  const slots = useFreeSlots(unitId, type ? type.id : null, shownDate)
  const slotParam = params.get('slot')
  const [shownSlot, showSlot] = useShown(slotParam)
  const slot = slots.data?.find((s) => s.id === slotParam) ?? null

  // The furthest step the choices allow, and whether that is known yet.
  let allowed: StepName = 'terms'
  let deciding = unit.isPending
  if (terms?.available && draft.accepted) {
    allowed = 'type'
    if (wants('date')) {
      deciding ||= types.isPending && !types.isError
      if (type) {
        allowed = 'date'
        if (wants('details')) {
          deciding ||= (dates.isPending && !dates.isError) || (date !== null && slots.isPending && !slots.isError)
          if (slot) {
            allowed = 'details'
            if (draft.reason.trim()) allowed = 'confirm'
          }
        }
      }
    }
  }
  const step: StepName = STEPS.indexOf(requested) <= STEPS.indexOf(allowed) ? requested : allowed

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

  // Bring the URL in line with the step shown. Choices the server has shown
  // to be invalid go; the others stay (a URL opened before the terms were
  // confirmed keeps its type for after).
  useEffect(() => {
    if (deciding || step === requested) return
    const drop: Record<string, string | null> = {}
    if (types.isSuccess && !type) Object.assign(drop, { type: null, date: null, slot: null })
    else {
      if (dates.isSuccess && dateParam && !date) Object.assign(drop, { date: null, slot: null })
      if (slots.isSuccess && slotParam && !slot) {
        setStaleSlot(true)
        drop.slot = null
      }
    }
    go(step, drop, true)
  }, [deciding, step, requested, types.isSuccess, type, dates.isSuccess, dateParam, date, slots.isSuccess, slotParam, slot, go])

  // The type is written into the type step's own entry first, so Back to it
  // finds the type chosen; then the date step gets an entry of its own.
  const chooseType = useCallback(
    (id: string) => {
      const changes: Record<string, string | null> = id === typeParam ? {} : { type: id, date: null, slot: null }
      go('type', changes, true)
      go('date', changes)
    },
    [go, typeParam],
  )

  const selectDate = useCallback(
    (d: string) => {
      showDate(d)
      go('date', { date: d, slot: null }, true)
    },
    [go, showDate],
  )

  if (deciding && step !== requested) {
    return (
      <Page title={`${t('book.title')}${unit.data ? ` – ${unit.data.name}` : ''}`}>
        <Loading />
      </Page>
    )
  }

  return (
    <Page title={`${t('book.title')}${unit.data ? ` – ${unit.data.name}` : ''}`}>
      {unit.isPending && <Loading />}
      <ErrorNotice error={unit.error} />
      {unit.data && step === 'terms' && (
        <Step name="terms" title={t('book.terms')}>
          {terms && !terms.available && <Notice kind="warning">{t('units.notAvailable')}</Notice>}
          {terms && <div className="terms" dangerouslySetInnerHTML={{ __html: terms.terms_html }} />}
          <form
            noValidate
            onSubmit={(e) => {
              e.preventDefault()
              if (!draft.accepted) return setTermsError(true)
              go('type')
            }}
          >
            <Checkbox
              label={t('book.termsConfirm')}
              checked={draft.accepted}
              error={termsError ? t('book.termsRequired') : undefined}
              onChange={(e) => {
                updateDraft({ accepted: e.target.checked })
                setTermsError(false)
              }}
            />
            <div className="buttons">
              <Button type="submit" disabled={!terms?.available}>
                {t('common.continue')}
              </Button>
            </div>
          </form>
        </Step>
      )}
      {step === 'type' && (
        <Step name="type" title={t('book.chooseType')}>
          {types.isPending && <Loading />}
          <ErrorNotice error={types.error} />
          {types.data && <TypeChoice types={types.data} chosen={typeParam} phone={unit.data?.phone ?? null} onBack={() => go('terms')} onChoose={chooseType} />}
        </Step>
      )}
      {step === 'date' && type && (
        <Step name="date" title={`${t('book.chooseDay')} – ${type.name}`}>
          {staleSlot && <Notice kind="warning">{t('book.slotGone')}</Notice>}
          {dates.isPending && <Loading />}
          <ErrorNotice error={dates.error} />
          {dates.data && (
            <>
              <p>{dates.data.first_free_date ? t('book.firstFree') : t('book.noFreeDays')}</p>
              <BookingCalendar availability={dates.data} selected={shownDate} onSelect={selectDate} />
            </>
          )}
          {shownDate && (
            <TimePicker
              date={shownDate}
              slots={slots}
              selected={shownSlot}
              now={openedAt}
              within24h={t('book.within24h')}
              onSelect={(s) => {
                setStaleSlot(false)
                showSlot(s.id)
                go('date', { slot: s.id }, true)
              }}
            />
          )}
          <div className="buttons">
            <Button variant="secondary" onClick={() => go('type')}>
              {t('common.back')}
            </Button>
            <Button disabled={!slot} onClick={() => go('details')}>
              {t('common.continue')}
            </Button>
          </div>
        </Step>
      )}
      {step === 'details' && (
        <Step name="details" title={t('book.reasonTitle')}>
          <form
            noValidate
            onSubmit={(e) => {
              e.preventDefault()
              if (!draft.reason.trim()) return setReasonError(true)
              setKey(crypto.randomUUID())
              go('confirm')
            }}
          >
            <TextArea
              label={t('book.reason')}
              required
              maxLength={500}
              value={draft.reason}
              error={reasonError ? t('book.reasonMissing') : fieldErrors(book.error).reason_for_visit}
              onChange={(e) => {
                updateDraft({ reason: e.target.value })
                setReasonError(false)
              }}
            />
            <TextField label={t('book.message')} maxLength={1000} value={draft.message} onChange={(e) => updateDraft({ message: e.target.value })} />
            <div className="buttons">
              <Button variant="secondary" onClick={() => go('date')}>
                {t('common.back')}
              </Button>
              <Button type="submit">{t('common.continue')}</Button>
            </div>
          </form>
        </Step>
      )}
      {step === 'confirm' && slot && (
        <Step name="confirm" title={t('book.confirmTitle')}>
          {child && (
            <p>
              <strong>{t('book.forChild', { name: child.name })}</strong>
            </p>
          )}
          <div className="card">
            <h3>{t('bookings.at', { date: formatDateLong(slot.local_date, lang), time: slot.local_start_time })}</h3>
            <dl>
              <dt>{t('common.unit')}</dt>
              <dd>{slot.unit.name}</dd>
              <dt>{t('common.type')}</dt>
              <dd>{slot.appointment_type.name}</dd>
              <dt>{t('common.practitioner')}</dt>
              <dd>{slot.practitioner.name}</dd>
              <dt>{t('book.reasonTitle')}</dt>
              <dd>{draft.reason}</dd>
              {draft.message && (
                <>
                  <dt>{t('staff.message')}</dt>
                  <dd>{draft.message}</dd>
                </>
              )}
            </dl>
          </div>
          {startsWithin24h(slot.starts_at, openedAt) && <Notice kind="warning">{t('book.within24h')}</Notice>}
          {book.error && (
            <Notice kind="error">
              {problem(book.error)}
              {Object.entries(fieldErrors(book.error)).map(([field, text]) => (
                <span key={field} className="block">
                  {field === 'message' ? t('staff.message') : t('book.reasonTitle')}: {text}
                </span>
              ))}
              {unit.data?.phone && book.error instanceof ProblemError && CALL_THE_UNIT.has(book.error.slug) && (
                <>
                  {' '}
                  <TextWithPhone text={t('bookings.callUnit')} phone={unit.data.phone} />
                </>
              )}
            </Notice>
          )}
          <div className="buttons">
            <Button variant="secondary" onClick={() => go('details')}>
              {t('common.back')}
            </Button>
            {book.error instanceof ProblemError && book.error.slug === 'slot-already-booked' ? (
              <Button
                onClick={() => {
                  book.reset()
                  void slots.refetch()
                  void dates.refetch()
                  go('date', { slot: null })
                }}
              >
                {t('book.chooseTime')}
              </Button>
            ) : (
              <Button
                disabled={book.isPending}
                onClick={() =>
                  void book
                    .mutateAsync({
                      body: { slot_id: slot.id, reason_for_visit: draft.reason, message: draft.message || null, terms_accepted: draft.accepted },
                      key,
                    })
                    .then(
                      // The confirmation replaces the confirm step: Back does not offer to book again.
                      // (It clears the draft; clearing it here would send this flow back to the terms first.)
                      (booking) => setParams({ step: 'done', booking: booking.id }, { replace: true }),
                      () => undefined,
                    )
                }
              >
                {t('book.confirm')}
              </Button>
            )}
          </div>
        </Step>
      )}
    </Page>
  )
}

/** The type step: bookable types first, then those the resident cannot book, each with the reason and the unit's phone. */
function TypeChoice({ types, chosen, phone, onBack, onChoose }: { types: Type[]; chosen: string | null; phone: string | null; onBack: () => void; onChoose: (id: string) => void }) {
  const { t } = useI18n()
  const bookable = types.filter((x) => x.bookable)
  const others = types.filter((x) => !x.bookable)
  const [choice, setChoice] = useState<string | null>(() => (bookable.some((x) => x.id === chosen) ? chosen : null))
  const facts = (x: Type) => `${t('common.minutes', { n: x.default_length_minutes })} · ${t(`book.mode.${x.mode}` as TextKey)}`
  return (
    <>
      {types.length === 0 && <p>{t('book.noTypes')}</p>}
      <form
        onSubmit={(e) => {
          e.preventDefault()
          if (choice) onChoose(choice)
        }}
      >
        {bookable.length > 0 && (
          <fieldset>
            <legend className="visually-hidden">{t('book.chooseType')}</legend>
            <div className="choices">
              {bookable.map((x) => (
                <label key={x.id} className="choice">
                  <input type="radio" name="type" value={x.id} checked={choice === x.id} onChange={() => setChoice(x.id)} />
                  <span>
                    {x.name}
                    <small>{facts(x)}</small>
                  </span>
                </label>
              ))}
            </div>
          </fieldset>
        )}
        <div className="buttons">
          <Button variant="secondary" onClick={onBack}>
            {t('common.back')}
          </Button>
          <Button type="submit" disabled={!choice}>
            {t('common.continue')}
          </Button>
        </div>
      </form>
      {others.length > 0 && (
        <>
          <h3>{t('book.notBookableTitle')}</h3>
          <ul className="list choices">
            {others.map((x) => (
              <li key={x.id} className="choice choice--disabled">
                <span>
                  <strong>{x.name}</strong>
                  <small>{facts(x)}</small>
                  <small>{ineligibility(x, t)}</small>
                  <small>{phone ? <TextWithPhone text={t('book.callInstead')} phone={phone} /> : t('book.callInsteadNoPhone')}</small>
                </span>
              </li>
            ))}
          </ul>
        </>
      )}
    </>
  )
}

/** Why the resident cannot book a type, from its eligibility (rule 13). */
function ineligibility(x: Type, t: ReturnType<typeof useI18n>['t']): string {
  if (x.not_bookable_reason === 'below_minimum_age' && x.eligibility.min_age_years != null) return t('book.ineligible.minAge', { age: x.eligibility.min_age_years })
  if (x.not_bookable_reason === 'established_contact_required') return t('book.ineligible.established_contact_required')
  return t('book.ineligible.below_minimum_age')
}

/** The confirmation, also after a reload: the booking is read by its id. */
function Done({ unitId, bookingId }: { unitId: string; bookingId: string }) {
  const { t, lang } = useI18n()
  const booking = useMyBooking(bookingId)
  // Booked: the terms confirmation and the reason are not kept for another booking.
  useEffect(() => clearDraft(`book.${unitId}`), [unitId])
  return (
    <Page title={t('book.doneTitle')}>
      {booking.isPending && <Loading />}
      <ErrorNotice error={booking.error} />
      {booking.data && (
        <>
          <Notice kind="success">{t('book.done')}</Notice>
          <div className="card">
            <h2>{t('bookings.at', { date: formatDateLong(booking.data.local_date, lang), time: booking.data.local_start_time })}</h2>
            <dl>
              <dt>{t('common.unit')}</dt>
              <dd>{booking.data.unit.name}</dd>
              <dt>{t('common.type')}</dt>
              <dd>{booking.data.appointment_type.name}</dd>
              <dt>{t('common.practitioner')}</dt>
              <dd>{booking.data.practitioner.name}</dd>
            </dl>
            {booking.data.appointment_type.instructions && <p>{booking.data.appointment_type.instructions}</p>}
          </div>
        </>
      )}
      <Link to="/bookings">{t('book.toBookings')}</Link>
    </Page>
  )
}

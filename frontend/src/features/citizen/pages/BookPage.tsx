// The booking flow of the seed slides: confirm the terms → choose a type →
// a month calendar with the first free day preselected → a time → reason and
// message → confirm → confirmation.
import { useCallback, useEffect, useRef, useState, type ReactNode } from 'react'
import { Link, useParams } from 'react-router-dom'
import { ProblemError, type Schemas } from '../../../shared/api/client'
import { useI18n, type TextKey } from '../../../shared/i18n'
import { formatDateLong } from '../../../shared/lib/dates'
import { Button, Checkbox, ErrorNotice, Loading, Notice, Page, TextArea, TextField } from '../../../shared/ui'
import { useBook } from '../api/book'
import { useAvailableDates } from '../api/get-available-dates'
import { useBookableTypes } from '../api/get-bookable-types'
import { useFreeSlots } from '../api/get-free-slots'
import { useUnit } from '../api/get-unit'
import { BookingCalendar } from '../components/BookingCalendar'

type Step = 1 | 2 | 3 | 4 | 5

function Step({ n, title, children }: { n: Step; title: string; children: ReactNode }) {
  const { t } = useI18n()
  const heading = useRef<HTMLHeadingElement>(null)
  useEffect(() => heading.current?.focus(), [])
  return (
    <section aria-labelledby={`step-${n}`}>
      <p className="steps">{t('book.step', { n })}</p>
      <h2 id={`step-${n}`} ref={heading} tabIndex={-1}>
        {title}
      </h2>
      {children}
    </section>
  )
}

export function BookPage() {
  const { unitId = '' } = useParams()
  const { t, lang } = useI18n()
  const unit = useUnit(unitId)
  const [step, setStep] = useState<Step>(1)
  const [accepted, setAccepted] = useState(false)
  const [termsError, setTermsError] = useState(false)
  const [typeId, setTypeId] = useState<string | null>(null)
  const [date, setDate] = useState<string | null>(null)
  const [slot, setSlot] = useState<Schemas['SlotResponse'] | null>(null)
  const [reason, setReason] = useState('')
  const [message, setMessage] = useState('')
  const [reasonError, setReasonError] = useState(false)
  const [key, setKey] = useState(() => crypto.randomUUID())
  // Whether the chosen time starts within 24 hours: then it cannot be changed online.
  const [soon, setSoon] = useState(false)
  const types = useBookableTypes(unitId, step >= 2)
  const dates = useAvailableDates(unitId, step >= 3 ? typeId : null)
  const slots = useFreeSlots(unitId, step >= 3 ? typeId : null, date)
  const book = useBook()
  const selectDate = useCallback((d: string) => {
    setDate(d)
    setSlot(null)
  }, [])

  const terms = unit.data?.services.find((s) => s.service === 'book_online')
  const type = types.data?.find((x) => x.id === typeId)

  if (book.data) {
    return (
      <Page title={t('book.doneTitle')}>
        <Notice kind="success">{t('book.done')}</Notice>
        <div className="card">
          <h2>{t('bookings.at', { date: formatDateLong(book.data.local_date, lang), time: book.data.local_start_time })}</h2>
          <dl>
            <dt>{t('common.unit')}</dt>
            <dd>{book.data.unit.name}</dd>
            <dt>{t('common.type')}</dt>
            <dd>{book.data.appointment_type.name}</dd>
            <dt>{t('common.practitioner')}</dt>
            <dd>{book.data.practitioner.name}</dd>
          </dl>
          {book.data.appointment_type.instructions && <p>{book.data.appointment_type.instructions}</p>}
        </div>
        <Link to="/bookings">{t('book.toBookings')}</Link>
      </Page>
    )
  }

  return (
    <Page title={`${t('book.title')}${unit.data ? ` – ${unit.data.name}` : ''}`}>
      {unit.isPending && <Loading />}
      <ErrorNotice error={unit.error} />
      {unit.data && step === 1 && (
        <Step n={1} title={t('book.terms')}>
          {terms && !terms.available && <Notice kind="warning">{t('units.notAvailable')}</Notice>}
          {terms && <div className="terms" dangerouslySetInnerHTML={{ __html: terms.terms_html }} />}
          <form
            noValidate
            onSubmit={(e) => {
              e.preventDefault()
              if (!accepted) return setTermsError(true)
              setStep(2)
            }}
          >
            <Checkbox
              label={t('book.termsConfirm')}
              checked={accepted}
              error={termsError ? t('book.termsRequired') : undefined}
              onChange={(e) => {
                setAccepted(e.target.checked)
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
      {step === 2 && (
        <Step n={2} title={t('book.chooseType')}>
          {types.isPending && <Loading />}
          <ErrorNotice error={types.error} />
          {types.data?.length === 0 && <p>{t('book.noTypes')}</p>}
          <form
            onSubmit={(e) => {
              e.preventDefault()
              if (typeId) {
                setDate(null)
                setSlot(null)
                setStep(3)
              }
            }}
          >
            <fieldset>
              <legend className="visually-hidden">{t('book.chooseType')}</legend>
              <div className="choices">
                {types.data?.map((x) => (
                  <label key={x.id} className={x.bookable ? 'choice' : 'choice choice--disabled'}>
                    <input type="radio" name="type" value={x.id} checked={typeId === x.id} disabled={!x.bookable} onChange={() => setTypeId(x.id)} />
                    <span>
                      {x.name}
                      {x.not_bookable_reason && <small>{t(`book.ineligible.${x.not_bookable_reason}` as TextKey)}</small>}
                    </span>
                  </label>
                ))}
              </div>
            </fieldset>
            <div className="buttons">
              <Button variant="secondary" onClick={() => setStep(1)}>
                {t('common.back')}
              </Button>
              <Button type="submit" disabled={!typeId}>
                {t('common.continue')}
              </Button>
            </div>
          </form>
        </Step>
      )}
      {step === 3 && (
        <Step n={3} title={`${t('book.chooseDay')}${type ? ` – ${type.name}` : ''}`}>
          {dates.isPending && <Loading />}
          <ErrorNotice error={dates.error} />
          {dates.data && (
            <>
              <p>{dates.data.first_free_date ? t('book.firstFree') : t('book.noFreeDays')}</p>
              <BookingCalendar availability={dates.data} selected={date} onSelect={selectDate} />
            </>
          )}
          {date && (
            <fieldset>
              <legend>
                <h3>
                  {t('book.chooseTime')} – {formatDateLong(date, lang)}
                </h3>
              </legend>
              {slots.isPending && <Loading />}
              <ErrorNotice error={slots.error} />
              {slots.data?.length === 0 && <p>{t('book.noTimes')}</p>}
              <div className="times">
                {slots.data?.map((s) => (
                  <label key={s.id} className="choice">
                    <input type="radio" name="time" value={s.id} checked={slot?.id === s.id} onChange={() => setSlot(s)} />
                    <span>
                      {s.local_start_time}
                      <small>{s.practitioner.name}</small>
                    </span>
                  </label>
                ))}
              </div>
            </fieldset>
          )}
          <div className="buttons">
            <Button variant="secondary" onClick={() => setStep(2)}>
              {t('common.back')}
            </Button>
            <Button disabled={!slot} onClick={() => setStep(4)}>
              {t('common.continue')}
            </Button>
          </div>
        </Step>
      )}
      {step === 4 && (
        <Step n={4} title={t('book.reasonTitle')}>
          <form
            noValidate
            onSubmit={(e) => {
              e.preventDefault()
              if (!reason.trim()) return setReasonError(true)
              setKey(crypto.randomUUID())
              setSoon(slot !== null && new Date(slot.starts_at).getTime() - Date.now() <= 24 * 3600 * 1000)
              setStep(5)
            }}
          >
            <TextArea
              label={t('book.reason')}
              required
              maxLength={500}
              value={reason}
              error={reasonError ? t('problem.validation-failed') : undefined}
              onChange={(e) => {
                setReason(e.target.value)
                setReasonError(false)
              }}
            />
            <TextField label={t('book.message')} maxLength={1000} value={message} onChange={(e) => setMessage(e.target.value)} />
            <div className="buttons">
              <Button variant="secondary" onClick={() => setStep(3)}>
                {t('common.back')}
              </Button>
              <Button type="submit">{t('common.continue')}</Button>
            </div>
          </form>
        </Step>
      )}
      {step === 5 && slot && (
        <Step n={5} title={t('book.confirmTitle')}>
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
              <dd>{reason}</dd>
              {message && (
                <>
                  <dt>{t('staff.message')}</dt>
                  <dd>{message}</dd>
                </>
              )}
            </dl>
          </div>
          {soon && <Notice kind="warning">{t('book.within24h')}</Notice>}
          <ErrorNotice error={book.error} />
          <div className="buttons">
            <Button variant="secondary" onClick={() => setStep(4)}>
              {t('common.back')}
            </Button>
            {book.error instanceof ProblemError && book.error.slug === 'slot-already-booked' ? (
              <Button
                onClick={() => {
                  book.reset()
                  setSlot(null)
                  void slots.refetch()
                  void dates.refetch()
                  setStep(3)
                }}
              >
                {t('book.chooseTime')}
              </Button>
            ) : (
              <Button
                disabled={book.isPending}
                onClick={() =>
                  book.mutate({
                    body: { slot_id: slot.id, reason_for_visit: reason, message: message || null, terms_accepted: accepted },
                    key,
                  })
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

// "Ny bokning": a patient at a time of staff's choosing (type, date, start,
// length), which must not collide with another booking of the practitioner.
// No type is chosen for staff, the time offered is the next free one ahead,
// and a time that has begun is refused here before the server refuses it
// (rule 20) — unless staff record a visit after the fact, an explicit choice
// offered once the time has begun, which notifies no one and is logged.
import { useState } from 'react'
import { ProblemError, type Schemas } from '../../../shared/api/client'
import { useI18n } from '../../../shared/i18n'
import { addDays, todayInStockholm } from '../../../shared/lib/dates'
import { Button, Checkbox, ErrorNotice, SelectField, TextField } from '../../../shared/ui'
import { useAppointmentBook } from '../api/get-appointment-book'
import { useStaffBook } from '../api/staff-book'
import { fieldCodes, fieldText } from '../lib/field-codes'
import { nextFreeTime, stockholmInstant } from '../lib/next-free'
import { confirmedName, ResidentField, useResidentCheck } from './ResidentField'
import { gridDays, gridHours } from './WeekGrid'

interface Props {
  unitId: string
  practitioners: Schemas['PractitionerResponse'][]
  /** The practitioner whose book is open. */
  practitionerId: string | null
  types: Schemas['CatalogueTypeResponse'][]
  /** The week to look for a free time in (the one shown, never one that is over). */
  monday: string
  now: Date
  onDone: () => void
}

type FieldErrors = Partial<Record<'pnr' | 'type' | 'start' | 'length' | 'after', string>>

export function NewBookingForm({ unitId, practitioners, practitionerId, types, monday, now, onDone }: Props) {
  const { t } = useI18n()
  const book = useStaffBook()
  const checker = useResidentCheck(unitId)
  const usable = types.filter((x) => !x.retired)
  const [pnr, setPnr] = useState('')
  const [practitioner, setPractitioner] = useState(practitionerId ?? practitioners[0]?.id ?? '')
  const [type, setType] = useState('')
  // null: follow the suggested time until staff set one themselves.
  const [when, setWhen] = useState<{ day: string; start: string } | null>(null)
  const [length, setLength] = useState(15)
  const [reason, setReason] = useState('')
  const [hidden, setHiddenFlag] = useState(false)
  const [afterTheFact, setAfterTheFact] = useState(false)
  const [errors, setErrors] = useState<FieldErrors>({})

  // The chosen practitioner's week (the grid's own query when it is theirs).
  const week = useAppointmentBook(unitId, monday, addDays(monday, 6), practitioner || null)
  const slots = week.data?.slots ?? []
  const { first, last } = gridHours(slots)
  const busy = slots.flatMap((s) => (s.bookings.some((b) => b.status === 'booked' || b.status === 'arrived') ? [s] : []))
  const suggested = nextFreeTime({ now, days: gridDays(monday, slots), open: first, close: last, length: length > 0 ? length : 15, busy }) ?? {
    date: addDays(monday, 7) > todayInStockholm(now) ? addDays(monday, 7) : addDays(todayInStockholm(now), 1),
    time: '08:00',
  }
  const day = when?.day ?? suggested.date
  const start = when?.start ?? suggested.time

  const today = todayInStockholm(now)
  const instant = day && start ? stockholmInstant(day, start) : null
  // Whether a time has begun is the browser's guess until the server, whose
  // clock has the last word, has answered for that very time.
  const [verdicts, setVerdicts] = useState<Record<string, boolean>>({})
  const started = instant !== null && (verdicts[instant] ?? new Date(instant).getTime() <= now.getTime())

  const server = book.error instanceof ProblemError ? book.error : null
  const codes = fieldCodes(server)
  const serverField = (field: string) => (codes[field] ? t(fieldText(field, codes[field])) : undefined)
  const startsInPast = server?.slug === 'starts-in-past'
  // Offered once the time has begun (or the server says so); kept while
  // ticked, and while the server's answer about it is on screen.
  const offerAfterTheFact = started || startsInPast || afterTheFact || codes.record_after_the_fact !== undefined
  const name = confirmedName(checker, pnr)

  const validate = (): FieldErrors => {
    const found: FieldErrors = {}
    const pnrCheck = checker.current(pnr)
    if (!pnr.trim()) found.pnr = t('staff.pnrRequired')
    else if (pnrCheck?.state === 'invalid') found.pnr = t(fieldText('personal_identity_number', pnrCheck.code))
    if (!type) found.type = t('staff.typeRequired')
    if (!(length >= 5 && length <= 480)) found.length = t('staff.lengthRange')
    else if (!day || !start) found.start = t('fieldError.required')
    else if (started && !afterTheFact) found.start = t('staff.startInPast')
    else if (!started && afterTheFact) found.after = t('fieldError.not_started')
    return found
  }

  return (
    <form
      noValidate
      onSubmit={(e) => {
        e.preventDefault()
        const form = e.currentTarget
        const found = validate()
        setErrors(found)
        if (Object.keys(found).length > 0) {
          // Focus the first field to correct, once it is marked.
          window.setTimeout(() => form.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus(), 0)
          return
        }
        book.reset()
        void book
          .mutateAsync({
            unitId,
            body: {
              personal_identity_number: pnr.trim(),
              ad_hoc: { practitioner_id: practitioner, appointment_type_id: type, starts_at: instant ?? '', length_minutes: length },
              reason_for_visit: reason || null,
              hidden_in_portal: hidden,
              record_after_the_fact: afterTheFact,
            },
          })
          .then(onDone, (error: unknown) => {
            if (error instanceof ProblemError && instant) {
              if (error.slug === 'starts-in-past') setVerdicts((v) => ({ ...v, [instant]: true }))
              if (fieldCodes(error).record_after_the_fact === 'not_started') setVerdicts((v) => ({ ...v, [instant]: false }))
            }
            // The field the server refused, once it is marked.
            window.setTimeout(() => form.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus(), 0)
          })
      }}
    >
      <div className="form-grid">
        <div className="form-grid__wide">
          <ResidentField
            checker={checker}
            value={pnr}
            onChange={(value) => {
              setPnr(value)
              if (errors.pnr) setErrors({ ...errors, pnr: undefined })
            }}
            error={errors.pnr ?? serverField('personal_identity_number')}
          />
        </div>
        <SelectField label={t('common.practitioner')} value={practitioner} onChange={(e) => setPractitioner(e.target.value)}>
          {practitioners.map((p) => (
            <option key={p.id} value={p.id}>
              {p.name}
            </option>
          ))}
        </SelectField>
        <SelectField
          label={t('common.type')}
          required
          value={type}
          error={errors.type ?? serverField('ad_hoc.appointment_type_id')}
          onChange={(e) => {
            setType(e.target.value)
            const chosen = usable.find((x) => x.id === e.target.value)
            if (chosen) setLength(chosen.default_length_minutes)
          }}
        >
          <option value="">{t('staff.chooseType')}</option>
          {usable.map((x) => (
            <option key={x.id} value={x.id}>
              {x.name}
            </option>
          ))}
        </SelectField>
        <TextField
          label={t('common.date')}
          type="date"
          required
          min={afterTheFact ? undefined : today}
          max={afterTheFact ? today : undefined}
          value={day}
          onChange={(e) => setWhen({ day: e.target.value, start })}
        />
        <div className="form-grid__pair">
          <TextField
            label={t('staff.start')}
            type="time"
            step={300}
            required
            value={start}
            error={errors.start ?? (startsInPast && !afterTheFact ? t('staff.startInPast') : undefined) ?? serverField('ad_hoc.starts_at')}
            onChange={(e) => setWhen({ day, start: e.target.value })}
          />
          <TextField
            label={t('staff.length')}
            type="number"
            min={5}
            max={480}
            required
            value={length}
            error={errors.length ?? serverField('ad_hoc.length_minutes')}
            onChange={(e) => setLength(Number(e.target.value))}
          />
        </div>
        {offerAfterTheFact && (
          <fieldset className="form-grid__wide after-the-fact">
            <legend>{t('staff.afterTheFactTitle')}</legend>
            <p>
              {t('staff.afterTheFactChoice')} {t('staff.afterTheFactIntro')}
            </p>
            <Checkbox
              label={t('staff.afterTheFact')}
              checked={afterTheFact}
              error={errors.after ?? serverField('record_after_the_fact')}
              aria-invalid={Boolean(errors.after ?? serverField('record_after_the_fact')) || undefined}
              onChange={(e) => {
                setAfterTheFact(e.target.checked)
                setErrors({ ...errors, start: undefined, after: undefined })
              }}
            />
          </fieldset>
        )}
        <div className="form-grid__wide">
          <TextField label={t('book.reasonTitle')} value={reason} maxLength={500} error={serverField('reason_for_visit')} onChange={(e) => setReason(e.target.value)} />
          <Checkbox label={t('staff.hideInPortal')} checked={hidden} onChange={(e) => setHiddenFlag(e.target.checked)} />
        </div>
      </div>
      {server && server.slug !== 'validation-failed' && !startsInPast && <ErrorNotice error={server} />}
      {server?.slug === 'validation-failed' && Object.keys(codes).length === 0 && <ErrorNotice error={server} />}
      {!server && book.error != null && <ErrorNotice error={book.error} />}
      <div className="buttons dialog__footer">
        <Button type="submit" disabled={book.isPending}>
          {afterTheFact ? (name ? t('staff.recordFor', { name }) : t('staff.record')) : name ? t('staff.bookName', { name }) : t('staff.bookSlot')}
        </Button>
      </div>
    </form>
  )
}

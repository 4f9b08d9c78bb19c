// "Ny bokning": a patient at a time of staff's choosing (type, date, start,
// length), which must not collide with another booking of the practitioner.
// No type is chosen for staff, the time offered is the next free one ahead,
// and a time that has begun is refused here before the server refuses it
// (rule 20).
import { useState } from 'react'
import { ProblemError, type Schemas } from '../../../shared/api/client'
import { useI18n } from '../../../shared/i18n'
import { addDays, todayInStockholm } from '../../../shared/lib/dates'
import { Button, Checkbox, ErrorNotice, SelectField, TextField } from '../../../shared/ui'
import { useBook } from '../api/get-book'
import { useStaffBook } from '../api/staff-book'
import { nextFreeTime, stockholmInstant } from '../lib/next-free'
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

type FieldErrors = Partial<Record<'pnr' | 'type' | 'start' | 'length', string>>

export function NewBookingForm({ unitId, practitioners, practitionerId, types, monday, now, onDone }: Props) {
  const { t, fieldErrors } = useI18n()
  const book = useStaffBook()
  const usable = types.filter((x) => !x.retired)
  const [pnr, setPnr] = useState('')
  const [practitioner, setPractitioner] = useState(practitionerId ?? practitioners[0]?.id ?? '')
  const [type, setType] = useState('')
  // null: follow the suggested time until staff set one themselves.
  const [when, setWhen] = useState<{ day: string; start: string } | null>(null)
  const [length, setLength] = useState(15)
  const [reason, setReason] = useState('')
  const [hidden, setHiddenFlag] = useState(false)
  const [errors, setErrors] = useState<FieldErrors>({})

  // The chosen practitioner's week (the grid's own query when it is theirs).
  const week = useBook(unitId, monday, addDays(monday, 6), practitioner || null)
  const slots = week.data?.slots ?? []
  const { first, last } = gridHours(slots)
  const busy = slots.flatMap((s) => (s.bookings.some((b) => b.status === 'booked' || b.status === 'arrived') ? [s] : []))
  const suggested = nextFreeTime({ now, days: gridDays(monday, slots), open: first, close: last, length: length > 0 ? length : 15, busy }) ?? {
    date: addDays(monday, 7) > todayInStockholm(now) ? addDays(monday, 7) : addDays(todayInStockholm(now), 1),
    time: '08:00',
  }
  const day = when?.day ?? suggested.date
  const start = when?.start ?? suggested.time

  const server = book.error instanceof ProblemError ? book.error : null
  const serverFields = fieldErrors(server)
  const startsInPast = server?.slug === 'starts-in-past'

  const validate = (): FieldErrors => {
    const found: FieldErrors = {}
    if (!pnr.trim()) found.pnr = t('staff.pnrRequired')
    if (!type) found.type = t('staff.typeRequired')
    if (!(length >= 5 && length <= 480)) found.length = t('staff.lengthRange')
    else if (new Date(stockholmInstant(day, start)).getTime() <= now.getTime()) found.start = t('staff.startInPast')
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
              ad_hoc: { practitioner_id: practitioner, appointment_type_id: type, starts_at: stockholmInstant(day, start), length_minutes: length },
              reason_for_visit: reason || null,
              hidden_in_portal: hidden,
            },
          })
          .then(onDone, () => undefined)
      }}
    >
      <div className="form-grid">
        <div className="form-grid__wide">
          <TextField label={t('common.pnr')} hint="ÅÅÅÅMMDD-NNNN" required autoComplete="off" value={pnr} error={errors.pnr ?? serverFields.personal_identity_number} onChange={(e) => setPnr(e.target.value)} />
          {/* The resident's name, for staff to confirm, goes here once the contract has the
              lookup (a GET by personal identity number that is itself access-logged). */}
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
          error={errors.type ?? serverFields['ad_hoc.appointment_type_id']}
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
        <TextField label={t('common.date')} type="date" required min={todayInStockholm(now)} value={day} onChange={(e) => setWhen({ day: e.target.value, start })} />
        <div className="form-grid__pair">
          <TextField
            label={t('staff.start')}
            type="time"
            step={300}
            required
            value={start}
            error={errors.start ?? (startsInPast ? t('staff.startInPast') : undefined) ?? serverFields['ad_hoc.starts_at']}
            onChange={(e) => setWhen({ day, start: e.target.value })}
          />
          <TextField
            label={t('staff.length')}
            type="number"
            min={5}
            max={480}
            required
            value={length}
            error={errors.length ?? serverFields['ad_hoc.length_minutes']}
            onChange={(e) => setLength(Number(e.target.value))}
          />
        </div>
        {/* "Registrera besök i efterhand" goes here once StaffBookRequest has
            `record_after_the_fact`: a checkbox that lets a past start through the
            check above and sends the flag. */}
        <div className="form-grid__wide">
          <TextField label={t('book.reasonTitle')} value={reason} maxLength={500} onChange={(e) => setReason(e.target.value)} />
          <Checkbox label={t('staff.hideInPortal')} checked={hidden} onChange={(e) => setHiddenFlag(e.target.checked)} />
        </div>
      </div>
      {server && server.slug !== 'validation-failed' && <ErrorNotice error={server} />}
      {server?.slug === 'validation-failed' && Object.keys(serverFields).length === 0 && <ErrorNotice error={server} />}
      {!server && book.error != null && <ErrorNotice error={book.error} />}
      <div className="buttons dialog__footer">
        <Button type="submit" disabled={book.isPending}>
          {t('staff.newBooking')}
        </Button>
      </div>
    </form>
  )
}

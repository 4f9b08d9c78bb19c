// "Ny bokning": a patient at a time of staff's choosing (type, date, start,
// length), which must not collide with another booking of the practitioner.
import { useState } from 'react'
import { ProblemError, type Schemas } from '../../../shared/api/client'
import { useI18n } from '../../../shared/i18n'
import { Button, Checkbox, ErrorNotice, SelectField, TextField } from '../../../shared/ui'
import { useStaffBook } from '../api/staff-book'

/** A Stockholm wall-clock time on a date as an instant (RFC 3339). */
export function stockholmInstant(date: string, time: string): string {
  // Find the offset Stockholm has at that wall time by asking Intl.
  const guess = new Date(`${date}T${time}:00Z`)
  const parts = new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/Stockholm', hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit' }).formatToParts(guess)
  const get = (type: string) => Number(parts.find((p) => p.type === type)?.value)
  const asLocal = Date.UTC(get('year'), get('month') - 1, get('day'), get('hour'), get('minute'))
  const offset = asLocal - guess.getTime()
  return new Date(guess.getTime() - offset).toISOString()
}

interface Props {
  unitId: string
  practitioners: Schemas['PractitionerResponse'][]
  types: Schemas['CatalogueTypeResponse'][]
  date: string
  onDone: () => void
}

export function NewBookingForm({ unitId, practitioners, types, date, onDone }: Props) {
  const { t, fieldErrors } = useI18n()
  const book = useStaffBook()
  const [pnr, setPnr] = useState('')
  const [practitioner, setPractitioner] = useState(practitioners[0]?.id ?? '')
  const [type, setType] = useState(types[0]?.id ?? '')
  const [day, setDay] = useState(date)
  const [start, setStart] = useState('08:00')
  const [length, setLength] = useState(types[0]?.default_length_minutes ?? 15)
  const [reason, setReason] = useState('')
  const [hidden, setHiddenFlag] = useState(false)
  const fields = fieldErrors(book.error)
  return (
    <form
      onSubmit={(e) => {
        e.preventDefault()
        void book.mutateAsync({
            unitId,
            body: {
              personal_identity_number: pnr,
              ad_hoc: { practitioner_id: practitioner, appointment_type_id: type, starts_at: stockholmInstant(day, start), length_minutes: length },
              reason_for_visit: reason || null,
              hidden_in_portal: hidden,
            },
          }).then(onDone, () => undefined)
      }}
    >
      <TextField label={t('common.pnr')} hint="ÅÅÅÅMMDD-NNNN" required value={pnr} error={fields.personal_identity_number} onChange={(e) => setPnr(e.target.value)} />
      <SelectField label={t('common.practitioner')} value={practitioner} onChange={(e) => setPractitioner(e.target.value)}>
        {practitioners.map((p) => (
          <option key={p.id} value={p.id}>
            {p.name}
          </option>
        ))}
      </SelectField>
      <SelectField
        label={t('common.type')}
        value={type}
        onChange={(e) => {
          setType(e.target.value)
          const chosen = types.find((x) => x.id === e.target.value)
          if (chosen) setLength(chosen.default_length_minutes)
        }}
      >
        {types.map((x) => (
          <option key={x.id} value={x.id}>
            {x.name}
          </option>
        ))}
      </SelectField>
      <TextField label={t('common.date')} type="date" required value={day} onChange={(e) => setDay(e.target.value)} />
      <TextField label={t('staff.start')} type="time" required value={start} onChange={(e) => setStart(e.target.value)} />
      <TextField
        label={t('staff.length')}
        type="number"
        min={5}
        max={480}
        required
        value={length}
        error={fields['ad_hoc.length_minutes']}
        onChange={(e) => setLength(Number(e.target.value))}
      />
      <TextField label={t('book.reasonTitle')} value={reason} maxLength={500} onChange={(e) => setReason(e.target.value)} />
      <Checkbox label={t('staff.hideInPortal')} checked={hidden} onChange={(e) => setHiddenFlag(e.target.checked)} />
      {!(book.error instanceof ProblemError && book.error.slug === 'validation-failed') && <ErrorNotice error={book.error} />}
      <div className="buttons">
        <Button type="submit" disabled={book.isPending || !pnr}>
          {t('staff.newBooking')}
        </Button>
      </div>
    </form>
  )
}

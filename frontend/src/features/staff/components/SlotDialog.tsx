// What staff do with one slot: book a patient into a free slot (or, once it
// has started, record a visit after the fact), or act on its booking
// (arrived, move, cancel with reason, entered in error, summons, hide in
// portal), with the slot's whole history.
import { useState } from 'react'
import { ProblemError, type Schemas } from '../../../shared/api/client'
import { useI18n, type TextKey } from '../../../shared/i18n'
import { formatDateLong, formatInstant, formatTime } from '../../../shared/lib/dates'
import { Button, Checkbox, ErrorNotice, Notice, SelectField, TextArea, TextField } from '../../../shared/ui'
import { ConfirmDialog } from '../../../shared/ui/ConfirmDialog'
import { markArrived, markEnteredInError, openSummons, setHidden, staffCancel, staffRebook, useBookingAction } from '../api/booking-actions'
import { useStaffBook } from '../api/staff-book'
import { fieldCodes, fieldText } from '../lib/field-codes'
import { confirmedName, ResidentField, useResidentCheck } from './ResidentField'

type BookSlot = Schemas['BookSlotResponse']
type StaffBooking = Schemas['StaffBookingResponse']

/** Rule 20: a slot that has started can no longer be booked. */
export const hasStarted = (slot: Pick<BookSlot, 'starts_at'>, now: Date) => new Date(slot.starts_at).getTime() <= now.getTime()

interface BodyProps {
  unitId: string
  slot: BookSlot
  /** Free slots in the future, to move a booking to. */
  freeSlots: BookSlot[]
  /** Whether the region notifies residents of staff changes; null when unknown. */
  regionNotifies: boolean | null
  now: Date
  onDone: () => void
}

export function SlotDialogBody({ unitId, slot, freeSlots, regionNotifies, now, onDone }: BodyProps) {
  const { t, lang } = useI18n()
  const active = slot.bookings.find((b) => b.status === 'booked' || b.status === 'arrived')
  const past = hasStarted(slot, now)
  return (
    <div>
      <p>
        <strong>
          {formatDateLong(slot.local_date, lang)} {slot.local_start_time}
        </strong>{' '}
        ({t('common.minutes', { n: slot.length_minutes })}) – {slot.appointment_type.name}, {slot.practitioner.name}
      </p>
      {active ? (
        <BookingActions booking={active} freeSlots={freeSlots} regionNotifies={regionNotifies} onDone={onDone} />
      ) : slot.state === 'free' && past ? (
        // Rule 20: a time that has started is not offered for booking; a visit
        // that took place can be recorded, as a choice of its own.
        <PastSlot unitId={unitId} slot={slot} onDone={onDone} />
      ) : slot.state === 'held' && slot.held_until ? (
        // Rule 16: offered to a resident waiting for an earlier time; it
        // cannot be booked until they answer or the hold runs out.
        <p className="notice notice--info">{t('staff.heldExplained', { time: formatTime(slot.held_until) })}</p>
      ) : (
        slot.state === 'free' && <BookForm unitId={unitId} slot={slot} onDone={onDone} />
      )}
      {slot.bookings.filter((b) => b !== active).length > 0 && (
        <>
          <h3>{t('staff.booking')}</h3>
          <ul>
            {slot.bookings
              .filter((b) => b !== active)
              .map((b) => (
                <li key={b.id}>
                  <del>{b.resident.name ?? b.resident.personal_identity_number}</del> – {t(`status.${b.status}` as TextKey)}
                  {b.cancellation &&
                    ` · ${t('staff.cancelledBy', {
                      who: b.cancellation.by.kind === 'resident' ? t('staff.byResident') : t('staff.byStaff'),
                      when: formatInstant(b.cancellation.at, lang),
                      reason: b.cancellation.reason,
                    })}`}
                </li>
              ))}
          </ul>
        </>
      )}
    </div>
  )
}

function PastSlot({ unitId, slot, onDone }: { unitId: string; slot: BookSlot; onDone: () => void }) {
  const { t } = useI18n()
  const [recording, setRecording] = useState(false)
  if (recording) return <BookForm unitId={unitId} slot={slot} afterTheFact onDone={onDone} />
  return (
    <>
      <p>{t('staff.slotPast')}</p>
      <Button variant="secondary" onClick={() => setRecording(true)}>
        {t('staff.afterTheFact')}
      </Button>
    </>
  )
}

function BookForm({ unitId, slot, afterTheFact = false, onDone }: { unitId: string; slot: BookSlot; afterTheFact?: boolean; onDone: () => void }) {
  const { t } = useI18n()
  const book = useStaffBook()
  const checker = useResidentCheck(unitId)
  const [pnr, setPnr] = useState('')
  const [pnrError, setPnrError] = useState<string | undefined>(undefined)
  const [reason, setReason] = useState('')
  const [message, setMessage] = useState('')
  const [hidden, setHiddenFlag] = useState(false)
  const codes = fieldCodes(book.error)
  const serverField = (field: string) => (codes[field] ? t(fieldText(field, codes[field])) : undefined)
  const name = confirmedName(checker, pnr)
  return (
    <form
      noValidate
      onSubmit={(e) => {
        e.preventDefault()
        const form = e.currentTarget
        const check = checker.current(pnr)
        const problem = !pnr.trim() ? t('staff.pnrRequired') : check?.state === 'invalid' ? t(fieldText('personal_identity_number', check.code)) : undefined
        setPnrError(problem)
        if (problem) {
          window.setTimeout(() => form.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus(), 0)
          return
        }
        void book
          .mutateAsync({
            unitId,
            body: {
              personal_identity_number: pnr.trim(),
              slot_id: slot.id,
              reason_for_visit: reason || null,
              message: message || null,
              hidden_in_portal: hidden,
              record_after_the_fact: afterTheFact,
            },
          })
          .then(onDone, () => undefined)
      }}
    >
      <h3>{afterTheFact ? t('staff.afterTheFact') : t('staff.bookSlot')}</h3>
      {afterTheFact && <p>{t('staff.afterTheFactIntro')}</p>}
      <ResidentField
        checker={checker}
        value={pnr}
        onChange={(value) => {
          setPnr(value)
          setPnrError(undefined)
        }}
        error={pnrError ?? serverField('personal_identity_number')}
      />
      <TextField label={t('book.reasonTitle')} value={reason} maxLength={500} error={serverField('reason_for_visit')} onChange={(e) => setReason(e.target.value)} />
      {!afterTheFact && <TextArea label={t('staff.message')} value={message} maxLength={1000} error={serverField('message')} onChange={(e) => setMessage(e.target.value)} />}
      <Checkbox label={t('staff.hideInPortal')} checked={hidden} onChange={(e) => setHiddenFlag(e.target.checked)} />
      {/* The server's clock has the last word on whether the time has started. */}
      {codes.record_after_the_fact && <Notice kind="error">{serverField('record_after_the_fact')}</Notice>}
      {!(book.error instanceof ProblemError && book.error.slug === 'validation-failed' && Object.keys(codes).length > 0) && <ErrorNotice error={book.error} />}
      <div className="buttons">
        <Button type="submit" disabled={book.isPending}>
          {afterTheFact ? (name ? t('staff.recordFor', { name }) : t('staff.record')) : name ? t('staff.bookName', { name }) : t('staff.bookSlot')}
        </Button>
      </div>
    </form>
  )
}

/** What the resident hears of a change to this booking (rules 1, 10, 21):
 * nothing when it never reaches them, otherwise a message unless the region
 * has switched staff-change notices off. */
export type ResidentNotice = 'told' | 'hidden' | 'switched-off'

export function residentNotice(booking: StaffBooking, regionNotifies: boolean | null): ResidentNotice {
  if (booking.hidden_in_portal || booking.appointment_type.portal_policy === 'hidden') return 'hidden'
  return regionNotifies === false ? 'switched-off' : 'told'
}

function BookingActions({ booking, freeSlots, regionNotifies, onDone }: { booking: StaffBooking; freeSlots: BookSlot[]; regionNotifies: boolean | null; onDone: () => void }) {
  const { t, lang } = useI18n()
  const [reason, setReason] = useState('')
  const [reasonError, setReasonError] = useState<string | undefined>(undefined)
  const [target, setTarget] = useState('')
  const [confirming, setConfirming] = useState<'void' | 'cancel' | null>(null)
  const [summonsError, setSummonsError] = useState<unknown>(null)
  const arrived = useBookingAction(markArrived)
  const error = useBookingAction(markEnteredInError)
  const cancel = useBookingAction(({ id, reason }: { id: string; reason: string }) => staffCancel(id, reason))
  const rebook = useBookingAction(({ id, slot }: { id: string; slot: string }) => staffRebook(id, slot))
  const hide = useBookingAction(({ id, hidden }: { id: string; hidden: boolean }) => setHidden(id, hidden))
  const failure = arrived.error ?? rebook.error ?? hide.error ?? summonsError
  const notice = residentNotice(booking, regionNotifies)
  const told = (key: 'void' | 'cancel') =>
    notice === 'hidden' ? t('staff.confirmHiddenResident') : notice === 'switched-off' ? t('staff.confirmSwitchedOff') : t(key === 'void' ? 'staff.confirmVoidTold' : 'staff.confirmCancelTold')
  const when = `${formatDateLong(booking.local_date, lang)} ${t('staff.at')} ${booking.local_start_time}`
  const who = booking.resident.name ?? booking.resident.personal_identity_number
  return (
    <div>
      <dl className="card">
        <dt>{t('common.resident')}</dt>
        <dd>
          {booking.resident.name} <span className="muted nowrap">{booking.resident.personal_identity_number}</span>
        </dd>
        <dt>{t('book.reasonTitle')}</dt>
        <dd>{booking.reason_for_visit ?? '–'}</dd>
        {booking.message && (
          <>
            <dt>{t('staff.message')}</dt>
            <dd>{booking.message}</dd>
          </>
        )}
        <dt>{t('staff.booking')}</dt>
        <dd>
          {t(`status.${booking.status}` as TextKey)} ·{' '}
          {t('staff.bookedBy', { who: t(({ resident: 'staff.byResident', guardian: 'staff.byGuardian', staff: 'staff.byStaff' } as const)[booking.booked_by.kind]), when: formatInstant(booking.booked_at, lang) })}
        </dd>
      </dl>
      <Checkbox
        label={t('staff.hideInPortal')}
        checked={booking.hidden_in_portal}
        onChange={(e) => void hide.mutateAsync({ id: booking.id, hidden: e.target.checked }).then(onDone, () => undefined)}
      />
      <ErrorNotice error={failure} />
      <div className="buttons">
        {booking.status === 'booked' && (
          <Button onClick={() => void arrived.mutateAsync(booking.id).then(onDone, () => undefined)}>{t('staff.arrived')}</Button>
        )}
        <Button
          variant="secondary"
          onClick={() => {
            setSummonsError(null)
            openSummons(booking.id).catch(setSummonsError)
          }}
        >
          {t('staff.summons')}
        </Button>
        <Button
          variant="secondary"
          onClick={() => {
            error.reset()
            setConfirming('void')
          }}
        >
          {t('staff.enteredInError')}
        </Button>
      </div>
      {booking.status === 'booked' && (
        <>
          <form
            onSubmit={(e) => {
              e.preventDefault()
              if (target) void rebook.mutateAsync({ id: booking.id, slot: target }).then(onDone, () => undefined)
            }}
          >
            <SelectField label={t('staff.rebookTo')} value={target} onChange={(e) => setTarget(e.target.value)}>
              <option value="">–</option>
              {freeSlots.map((s) => (
                <option key={s.id} value={s.id}>
                  {formatDateLong(s.local_date, lang)} {s.local_start_time} – {s.appointment_type.name}, {s.practitioner.name}
                </option>
              ))}
            </SelectField>
            <Button type="submit" variant="secondary" disabled={!target}>
              {t('bookings.rebook')}
            </Button>
          </form>
          <form
            noValidate
            onSubmit={(e) => {
              e.preventDefault()
              if (!reason.trim()) {
                setReasonError(t('staff.cancelReasonRequired'))
                return
              }
              setReasonError(undefined)
              cancel.reset()
              setConfirming('cancel')
            }}
          >
            <TextArea label={t('cancel.reason')} required value={reason} error={reasonError} maxLength={500} onChange={(e) => setReason(e.target.value)} />
            <Button type="submit" variant="danger">
              {t('bookings.cancel')}
            </Button>
          </form>
        </>
      )}
      <ConfirmDialog
        open={confirming === 'void'}
        title={t('staff.confirmVoidTitle')}
        confirmLabel={t('staff.confirmVoidAction')}
        pending={error.isPending}
        error={<ErrorNotice error={error.error} />}
        onCancel={() => setConfirming(null)}
        onConfirm={() => void error.mutateAsync(booking.id).then(onDone, () => undefined)}
      >
        <p>
          <strong>
            {when} – {who}
          </strong>
        </p>
        <p>
          {t('staff.confirmVoid')} {told('void')}
        </p>
      </ConfirmDialog>
      <ConfirmDialog
        open={confirming === 'cancel'}
        title={t('staff.confirmCancelTitle')}
        confirmLabel={t('staff.confirmCancelAction')}
        pending={cancel.isPending}
        error={<ErrorNotice error={cancel.error} />}
        onCancel={() => setConfirming(null)}
        onConfirm={() => void cancel.mutateAsync({ id: booking.id, reason }).then(onDone, () => undefined)}
      >
        <p>
          <strong>
            {when} – {who}
          </strong>
        </p>
        <p>
          {t('staff.confirmCancel', { reason: reason.trim() })} {told('cancel')}
        </p>
      </ConfirmDialog>
    </div>
  )
}

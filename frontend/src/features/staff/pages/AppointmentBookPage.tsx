import { useEffect, useState } from 'react'
import { useI18n } from '../../../shared/i18n'
import { addDays, isoWeek, mondayOf, todayInStockholm } from '../../../shared/lib/dates'
import { Button, Dialog, ErrorNotice, Loading, Page, SelectField, TextField } from '../../../shared/ui'
import { UnitPicker } from '../../../shared/ui/UnitPicker'
import { useAppointmentBook } from '../api/get-appointment-book'
import { usePractitioners } from '../api/get-practitioners'
import { useRegion } from '../api/get-region'
import { useStaffMe } from '../../../shared/auth/staff-me'
import { useUnitCatalogue } from '../api/get-unit-catalogue'
import { useWaitlist } from '../api/get-waitlist'
import { WaitlistPanel } from '../components/WaitlistPanel'
import { NewBookingForm } from '../components/NewBookingDialog'
import { hasStarted, SlotDialogBody } from '../components/SlotDialog'
import { WeekGrid } from '../components/WeekGrid'
import { useNow } from '../lib/now'
import { choosePractitioner } from '../lib/practitioner'

export function AppointmentBookPage() {
  const { t } = useI18n()
  const me = useStaffMe()
  const region = useRegion()
  const now = useNow()
  const [unitId, setUnitId] = useState<string | null>(null)
  const [practitionerId, setPractitionerId] = useState<string | null>(null)
  const [monday, setMonday] = useState(() => mondayOf(todayInStockholm()))
  const [jumpTo, setJumpTo] = useState('')
  const [open, setOpen] = useState<string | 'new' | null>(null)
  const practitioners = usePractitioners(unitId)
  const catalogue = useUnitCatalogue(unitId)
  const waitlist = useWaitlist(unitId)
  // The book is one practitioner's week, as in PMO: the signed-in staff
  // member's own when they have one in this unit, else the first.
  const preferred = me.data?.practitioner_id ?? null
  useEffect(() => {
    if (!practitioners.data) return
    const chosen = choosePractitioner(practitioners.data, practitionerId, preferred)
    if (chosen !== practitionerId) setPractitionerId(chosen)
  }, [practitioners.data, practitionerId, preferred])
  const book = useAppointmentBook(practitionerId ? unitId : null, monday, addDays(monday, 6), practitionerId)
  const slot = book.data?.slots.find((s) => s.id === open)
  const free = (book.data?.slots ?? []).filter((s) => s.state === 'free' && !hasStarted(s, now))
  const today = todayInStockholm(now)
  return (
    <Page title={t('nav.book')} wide>
      {me.isPending && <Loading />}
      <ErrorNotice error={me.error ?? book.error} />
      {me.data && (
        <div className="toolbar">
          <UnitPicker me={me.data} value={unitId} onChange={setUnitId} />
          <SelectField label={t('common.practitioner')} value={practitionerId ?? ''} onChange={(e) => setPractitionerId(e.target.value || null)}>
            {practitioners.data?.map((p) => (
              <option key={p.id} value={p.id}>
                {p.name}
              </option>
            ))}
          </SelectField>
          <div className="buttons" role="group" aria-label={t('staff.week', { n: isoWeek(monday) })}>
            <Button variant="secondary" onClick={() => setMonday(addDays(monday, -7))}>
              ‹ {t('staff.previousWeek')}
            </Button>
            <Button variant="secondary" onClick={() => setMonday(mondayOf(today))}>
              {t('staff.thisWeek')}
            </Button>
            <Button variant="secondary" onClick={() => setMonday(addDays(monday, 7))}>
              {t('staff.nextWeek')} ›
            </Button>
          </div>
          <form
            className="toolbar__jump"
            onSubmit={(e) => {
              e.preventDefault()
              if (jumpTo) setMonday(mondayOf(jumpTo))
            }}
          >
            <TextField label={t('staff.goToDate')} type="date" value={jumpTo} onChange={(e) => setJumpTo(e.target.value)} />
            <Button type="submit" variant="secondary" disabled={!jumpTo}>
              {t('staff.showWeek')}
            </Button>
          </form>
          <div className="buttons">
            <Button onClick={() => setOpen('new')} disabled={!practitioners.data?.length || !catalogue.data?.length}>
              {t('staff.newBooking')}
            </Button>
          </div>
        </div>
      )}
      <h2 aria-live="polite">
        {t('staff.week', { n: isoWeek(monday) })}
        {book.data && ` – ${book.data.unit.name}`}
      </h2>
      {book.isPending && practitionerId && <Loading />}
      {book.data && <WeekGrid monday={monday} slots={book.data.slots} now={now} onOpen={(s) => setOpen(s.id)} />}
      {waitlist.data && practitioners.data && catalogue.data && (
        <WaitlistPanel counts={waitlist.data} practitioners={practitioners.data} types={catalogue.data} />
      )}
      <Dialog title={open === 'new' ? t('staff.newBooking') : t('staff.booking')} open={open !== null} onClose={() => setOpen(null)}>
        {open === 'new' && unitId && practitioners.data && catalogue.data && (
          <NewBookingForm
            unitId={unitId}
            practitioners={practitioners.data}
            practitionerId={practitionerId}
            types={catalogue.data}
            monday={monday < mondayOf(today) ? mondayOf(today) : monday}
            now={now}
            onDone={() => setOpen(null)}
          />
        )}
        {slot && unitId && <SlotDialogBody unitId={unitId} slot={slot} freeSlots={free} regionNotifies={region.data?.notify_on_staff_cancel ?? null} now={now} onDone={() => setOpen(null)} />}
      </Dialog>
    </Page>
  )
}

import { useEffect, useState } from 'react'
import { useI18n } from '../../../shared/i18n'
import { addDays, isoWeek, mondayOf, todayInStockholm } from '../../../shared/lib/dates'
import { Button, Dialog, ErrorNotice, Loading, Page, SelectField } from '../../../shared/ui'
import { useBook } from '../api/get-book'
import { usePractitioners } from '../api/get-practitioners'
import { useStaffMe } from '../api/get-staff-me'
import { useUnitCatalogue } from '../api/get-unit-catalogue'
import { NewBookingForm } from '../components/NewBookingDialog'
import { SlotDialogBody } from '../components/SlotDialog'
import { UnitPicker } from '../../../shared/ui/UnitPicker'
import { WeekGrid } from '../components/WeekGrid'

export function BookWeekPage() {
  const { t } = useI18n()
  const me = useStaffMe()
  const [unitId, setUnitId] = useState<string | null>(null)
  const [practitionerId, setPractitionerId] = useState<string | null>(null)
  const [monday, setMonday] = useState(() => mondayOf(todayInStockholm()))
  const [open, setOpen] = useState<string | 'new' | null>(null)
  const practitioners = usePractitioners(unitId)
  const catalogue = useUnitCatalogue(unitId)
  // The book is one practitioner's week, as in PMO.
  useEffect(() => {
    const first = practitioners.data?.[0]
    if (first && !practitioners.data?.some((p) => p.id === practitionerId)) setPractitionerId(first.id)
  }, [practitioners.data, practitionerId])
  const book = useBook(practitionerId ? unitId : null, monday, addDays(monday, 6), practitionerId)
  const slot = book.data?.slots.find((s) => s.id === open)
  const free = (book.data?.slots ?? []).filter((s) => s.state === 'free')
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
            <Button variant="secondary" onClick={() => setMonday(mondayOf(todayInStockholm()))}>
              {t('staff.thisWeek')}
            </Button>
            <Button variant="secondary" onClick={() => setMonday(addDays(monday, 7))}>
              {t('staff.nextWeek')} ›
            </Button>
            <Button onClick={() => setOpen('new')} disabled={!practitioners.data?.length || !catalogue.data?.length}>
              {t('staff.newBooking')}
            </Button>
          </div>
        </div>
      )}
      <h2>
        {t('staff.week', { n: isoWeek(monday) })}
        {book.data && ` – ${book.data.unit.name}`}
      </h2>
      {book.isPending && practitionerId && <Loading />}
      {book.data && <WeekGrid monday={monday} slots={book.data.slots} onOpen={(s) => setOpen(s.id)} />}
      <Dialog title={open === 'new' ? t('staff.newBooking') : t('staff.booking')} open={open !== null} onClose={() => setOpen(null)}>
        {open === 'new' && unitId && practitioners.data && catalogue.data && (
          <NewBookingForm unitId={unitId} practitioners={practitioners.data} types={catalogue.data} date={todayInStockholm() > monday ? todayInStockholm() : monday} onDone={() => setOpen(null)} />
        )}
        {slot && unitId && <SlotDialogBody unitId={unitId} slot={slot} freeSlots={free} onDone={() => setOpen(null)} />}
      </Dialog>
    </Page>
  )
}

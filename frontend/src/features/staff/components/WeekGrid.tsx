// The appointment book as a week grid, like PMO's: days as columns, time as
// rows, slots coloured by type, bookings with resident and reason, cancelled
// bookings struck through with their reason.
import type { Schemas } from '../../../shared/api/client'
import { useI18n } from '../../../shared/i18n'
import { addDays, formatDateShort, stockholmMinutes } from '../../../shared/lib/dates'
import { typeColours } from './colours'

type BookSlot = Schemas['BookSlotResponse']
const ROW = 5 // minutes per grid row

export function WeekGrid({ monday, slots, onOpen }: { monday: string; slots: BookSlot[]; onOpen: (slot: BookSlot) => void }) {
  const { t, lang } = useI18n()
  const days = Array.from({ length: 7 }, (_, i) => addDays(monday, i)).filter(
    (d, i) => i < 5 || slots.some((s) => s.local_date === d),
  )
  const colours = typeColours(slots.map((s) => s.appointment_type.id))
  const minutes = slots.map((s) => stockholmMinutes(s.starts_at))
  const first = minutes.length ? Math.floor(Math.min(...minutes) / 60) * 60 : 8 * 60
  const last = slots.length ? Math.max(...slots.map((s) => stockholmMinutes(s.starts_at) + s.length_minutes)) : 17 * 60
  const rows = Math.max(12, Math.ceil((last - first) / ROW))
  const hours = Array.from({ length: Math.ceil((last - first) / 60) }, (_, i) => first + i * 60)

  if (slots.length === 0) return <p>{t('staff.noSlots')}</p>
  return (
    <>
      <ul className="legend" aria-label={t('common.type')}>
        {[...new Map(slots.map((s) => [s.appointment_type.id, s.appointment_type.name])).entries()].map(([id, name]) => (
          <li key={id}>
            <span style={{ background: colours.get(id) }} aria-hidden="true" />
            {name}
          </li>
        ))}
      </ul>
      <div className="week" style={{ gridTemplateColumns: `3rem repeat(${days.length}, minmax(11rem, 1fr))` }}>
        <div aria-hidden="true">
          <h3>&nbsp;</h3>
          <div className="week__col" style={{ gridTemplateRows: `repeat(${rows}, 1.05rem)`, borderLeft: 'none' }}>
            {hours.map((h) => (
              <span key={h} className="hour" style={{ gridRow: `${(h - first) / ROW + 1} / span 12` }}>
                {String(h / 60).padStart(2, '0')}:00
              </span>
            ))}
          </div>
        </div>
        {days.map((day) => (
          <section key={day} className="week__day" aria-label={formatDateShort(day, lang)}>
            <h3>{formatDateShort(day, lang)}</h3>
            <div className="week__col" style={{ gridTemplateRows: `repeat(${rows}, 1.05rem)` }}>
              {slots
                .filter((s) => s.local_date === day)
                .map((s) => (
                  <SlotBlock key={s.id} slot={s} first={first} colour={colours.get(s.appointment_type.id) ?? '#fff'} onOpen={onOpen} />
                ))}
            </div>
          </section>
        ))}
      </div>
    </>
  )
}

function SlotBlock({ slot, first, colour, onOpen }: { slot: BookSlot; first: number; colour: string; onOpen: (slot: BookSlot) => void }) {
  const { t } = useI18n()
  const start = (stockholmMinutes(slot.starts_at) - first) / ROW + 1
  const span = Math.max(1, Math.round(slot.length_minutes / ROW))
  const active = slot.bookings.find((b) => b.status === 'booked' || b.status === 'arrived')
  const ended = slot.bookings.filter((b) => b !== active)
  const latest = ended[ended.length - 1]
  const label = [
    slot.local_start_time,
    slot.appointment_type.name,
    slot.practitioner.name,
    active ? `${active.resident.name ?? active.resident.personal_identity_number}, ${active.reason_for_visit ?? ''}` : t('staff.free'),
    ...ended.map((b) => `${t(`status.${b.status}`)}: ${b.resident.name ?? ''} ${b.cancellation?.reason ?? ''}`),
  ].join(', ')
  return (
    <button
      type="button"
      className={`slot ${active ? 'slot--booked' : slot.state === 'withdrawn' ? 'slot--withdrawn' : 'slot--free'}`}
      style={{ gridRow: `${start} / span ${span}`, background: slot.state === 'withdrawn' ? undefined : colour }}
      aria-label={label}
      onClick={() => onOpen(slot)}
    >
      <span className="slot__time">{slot.local_start_time}</span> {slot.appointment_type.name}
      <br />
      {active ? (
        <>
          <strong>{active.resident.name ?? active.resident.personal_identity_number}</strong>
          {active.status === 'arrived' && ` (${t('status.arrived')})`}
          {active.reason_for_visit && <> – {active.reason_for_visit}</>}
        </>
      ) : latest ? (
        // The latest ended booking, struck through with its reason (rule 11);
        // the whole history is in the dialog and the label.
        <del>
          {latest.resident.name ?? latest.resident.personal_identity_number}
          {latest.cancellation && ` – ${latest.cancellation.reason}`}
        </del>
      ) : (
        slot.state === 'free' && <em>{t('staff.free')}</em>
      )}
    </button>
  )
}

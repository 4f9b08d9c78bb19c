// The appointment book as a week grid, like PMO's: days as columns, time as
// rows, slots coloured by type, bookings with resident and reason, cancelled
// bookings struck through with their reason.
//
// One CSS grid holds every day (each day a subgrid of its rows): a row is five
// minutes with a small minimum height and grows to fit what a slot says, so a
// 10-minute slot shows its whole text and every day keeps the same rows.
// Times that have started are grey and no longer offered for booking (rule
// 20; a free one still opens, to record a visit after the fact); a line marks
// now on today's column.
import type { Schemas } from '../../../shared/api/client'
import { useI18n, type TextKey } from '../../../shared/i18n'
import { addDays, formatDateShort, formatTime, stockholmMinutes, todayInStockholm } from '../../../shared/lib/dates'
import { typeColours } from './colours'
import { hasStarted } from './SlotDialog'

type BookSlot = Schemas['BookSlotResponse']
const ROW = 5 // minutes per grid row

/** The hours the grid shows: from the hour of the first slot to the end of the last (08–17 when empty). */
export function gridHours(slots: Pick<BookSlot, 'starts_at' | 'length_minutes'>[]): { first: number; last: number } {
  if (slots.length === 0) return { first: 8 * 60, last: 17 * 60 }
  const starts = slots.map((s) => stockholmMinutes(s.starts_at))
  const first = Math.floor(Math.min(...starts) / 60) * 60
  const last = Math.ceil(Math.max(...slots.map((s, i) => (starts[i] ?? 0) + s.length_minutes)) / 60) * 60
  return { first, last }
}

/** Monday–Friday, and a weekend day only when it has slots. */
export function gridDays(monday: string, slots: Pick<BookSlot, 'local_date'>[]): string[] {
  return Array.from({ length: 7 }, (_, i) => addDays(monday, i)).filter((d, i) => i < 5 || slots.some((s) => s.local_date === d))
}

interface Props {
  monday: string
  slots: BookSlot[]
  now: Date
  onOpen: (slot: BookSlot) => void
}

export function WeekGrid({ monday, slots, now, onOpen }: Props) {
  const { t, lang } = useI18n()
  const days = gridDays(monday, slots)
  const colours = typeColours(slots.map((s) => s.appointment_type.id))
  const { first, last } = gridHours(slots)
  const rows = Math.max(12, Math.ceil((last - first) / ROW))
  const hours = Array.from({ length: Math.ceil((last - first) / 60) }, (_, i) => first + i * 60)
  const today = todayInStockholm(now)
  const nowMinutes = stockholmMinutes(now.toISOString())
  const showNow = days.includes(today) && nowMinutes >= first && nowMinutes < last
  // Row 1 holds the day headings; row 2 is `first`.
  const rowOf = (minutes: number) => Math.floor((minutes - first) / ROW) + 2
  const whole = `1 / span ${rows + 1}`

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
        <li>
          <span className="legend__past" aria-hidden="true" />
          {t('staff.pastLegend')}
        </li>
      </ul>
      <div className="week" style={{ gridTemplateColumns: `3.25rem repeat(${days.length}, minmax(10.5rem, 1fr))`, gridTemplateRows: `auto repeat(${rows}, minmax(.6rem, auto))` }}>
        <div className="week__hours" aria-hidden="true" style={{ gridRow: whole }}>
          {hours.map((h) => (
            <span key={h} className="hour" style={{ gridRow: `${rowOf(h)} / span ${60 / ROW}` }}>
              {String(h / 60).padStart(2, '0')}:00
            </span>
          ))}
        </div>
        {days.map((day) => (
          <section key={day} className={day === today ? 'week__day week__day--today' : 'week__day'} aria-label={formatDateShort(day, lang)} style={{ gridRow: whole }}>
            <h3>
              {formatDateShort(day, lang)}
              {day === today && <span className="visually-hidden"> ({t('staff.today')})</span>}
            </h3>
            {hours.map((h) => (
              <div key={h} className="week__hourline" aria-hidden="true" style={{ gridRow: `${rowOf(h)} / span ${60 / ROW}` }} />
            ))}
            {slots
              .filter((s) => s.local_date === day)
              .map((s) => {
                const start = stockholmMinutes(s.starts_at)
                return (
                  <SlotBlock
                    key={s.id}
                    slot={s}
                    row={`${rowOf(start)} / span ${Math.max(1, Math.round(s.length_minutes / ROW))}`}
                    colour={colours.get(s.appointment_type.id) ?? '#fff'}
                    past={hasStarted(s, now)}
                    onOpen={onOpen}
                  />
                )
              })}
            {day === today && showNow && (
              <div className="now-line" role="img" aria-label={t('staff.nowLine', { time: `${String(Math.floor(nowMinutes / 60)).padStart(2, '0')}:${String(nowMinutes % 60).padStart(2, '0')}` })} style={{ gridRow: `${rowOf(nowMinutes)}` }}>
                <span style={{ top: `${(((nowMinutes - first) % ROW) / ROW) * 100}%` }} />
              </div>
            )}
          </section>
        ))}
      </div>
    </>
  )
}

function SlotBlock({ slot, row, colour, past, onOpen }: { slot: BookSlot; row: string; colour: string; past: boolean; onOpen: (slot: BookSlot) => void }) {
  const { t } = useI18n()
  const active = slot.bookings.find((b) => b.status === 'booked' || b.status === 'arrived')
  const ended = slot.bookings.filter((b) => b !== active)
  const latest = ended[ended.length - 1]
  const withdrawn = slot.state === 'withdrawn'
  // Rule 16: held for a resident's offer of an earlier time.
  const held = slot.state === 'held' && slot.held_until ? t('staff.heldUntil', { time: formatTime(slot.held_until) }) : null
  const state = active ? null : withdrawn ? t('staff.withdrawn') : past ? t('staff.past') : (held ?? t('staff.free'))
  const heading = (
    <>
      <span className="slot__time">{slot.local_start_time}</span> {slot.appointment_type.name}
    </>
  )
  // A time that has started is not offered as free; a free one opens only to
  // record a visit after the fact. A withdrawn one offers nothing.
  if (!active && !latest && past) {
    if (withdrawn) {
      return (
        <div className="slot slot--past" style={{ gridRow: row }}>
          {heading} · <em>{state}</em>
        </div>
      )
    }
    return (
      <button type="button" className="slot slot--past" style={{ gridRow: row }} aria-label={[slot.local_start_time, slot.appointment_type.name, slot.practitioner.name, state].join(', ')} onClick={() => onOpen(slot)}>
        {heading} · <em>{state}</em>
      </button>
    )
  }
  const label = [
    slot.local_start_time,
    slot.appointment_type.name,
    slot.practitioner.name,
    active ? `${active.resident.name ?? active.resident.personal_identity_number}, ${active.reason_for_visit ?? ''}` : state,
    ...ended.map((b) => `${t(`status.${b.status}` as TextKey)}: ${b.resident.name ?? ''} ${b.cancellation?.reason ?? ''}`),
    ...(past && active ? [t('staff.past').toLowerCase()] : []),
  ].join(', ')
  const kind = past ? 'slot--past' : active ? 'slot--booked' : withdrawn ? 'slot--withdrawn' : held ? 'slot--held' : 'slot--free'
  return (
    <button type="button" className={`slot ${kind}`} style={{ gridRow: row, background: past || withdrawn ? undefined : colour }} aria-label={label} onClick={() => onOpen(slot)}>
      {heading}{' '}
      {active ? (
        <span className="slot__who">
          <strong>{active.resident.name ?? active.resident.personal_identity_number}</strong>
          {active.status === 'arrived' && ` (${t('status.arrived')})`}
          {active.reason_for_visit && <> – {active.reason_for_visit}</>}
        </span>
      ) : (
        <span className="slot__who">
          {latest && (
            // The latest ended booking, struck through with its reason (rule
            // 11); the whole history is in the dialog and the label.
            <del>
              {latest.resident.name ?? latest.resident.personal_identity_number}
              {latest.cancellation && ` – ${latest.cancellation.reason}`}
            </del>
          )}{' '}
          <em>{state}</em>
        </span>
      )}
    </button>
  )
}

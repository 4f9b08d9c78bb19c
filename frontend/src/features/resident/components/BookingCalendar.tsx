// The month calendar of the booking flow: ISO week numbers, days without
// free slots disabled, the first free day preselected (rule 12), months
// limited to the eight-week horizon (rule 6).
import { useEffect, useState } from 'react'
import type { Schemas } from '../../../shared/api/client'
import { useI18n, type TextKey } from '../../../shared/i18n'
import { addMonths, formatDateLong, formatMonth, monthGrid, monthOf } from '../../../shared/lib/dates'
import { Button } from '../../../shared/ui'

const WEEKDAYS: TextKey[] = ['calendar.mon', 'calendar.tue', 'calendar.wed', 'calendar.thu', 'calendar.fri', 'calendar.sat', 'calendar.sun']

interface Props {
  availability: Schemas['AvailableDatesResponse']
  selected: string | null
  onSelect: (date: string) => void
}

export function BookingCalendar({ availability, selected, onSelect }: Props) {
  const { t, lang } = useI18n()
  const free = new Map(availability.dates.map((d) => [d.date, d.free_slots]))
  const firstMonth = monthOf(availability.horizon_first)
  const lastMonth = monthOf(availability.horizon_last)
  const [month, setMonth] = useState(() => monthOf(selected ?? availability.first_free_date ?? availability.horizon_first))

  useEffect(() => {
    if (selected === null && availability.first_free_date) onSelect(availability.first_free_date)
  }, [selected, availability.first_free_date, onSelect])

  return (
    <div className="calendar-wrap">
      <div className="calendar__nav">
        <Button variant="secondary" onClick={() => setMonth(addMonths(month, -1))} disabled={month <= firstMonth} aria-label={t('calendar.previous')}>
          ‹
        </Button>
        <span aria-hidden="true" className="muted">
          {formatMonth(month, lang)}
        </span>
        <Button variant="secondary" onClick={() => setMonth(addMonths(month, 1))} disabled={month >= lastMonth} aria-label={t('calendar.next')}>
          ›
        </Button>
      </div>
      <table className="calendar">
        <caption aria-live="polite">{formatMonth(month, lang)}</caption>
        <thead>
          <tr>
            <th scope="col">
              <abbr title={t('calendar.weekFull')}>{t('calendar.week')}</abbr>
            </th>
            {WEEKDAYS.map((d) => (
              <th scope="col" key={d}>
                {t(d)}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {monthGrid(month).map((week) => (
            <tr key={week.week}>
              <td className="calendar__week" data-testid="week-number">
                {week.week}
              </td>
              {week.days.map((day, i) => {
                if (!day) return <td key={i} />
                const count = free.get(day) ?? 0
                const inside = day >= availability.horizon_first && day <= availability.horizon_last
                const label = `${formatDateLong(day, lang)}, ${count > 0 ? t('calendar.freeSlots', { n: count }) : t('calendar.noFreeSlots')}`
                return (
                  <td key={day}>
                    <button type="button" aria-label={label} aria-pressed={day === selected} disabled={count === 0 || !inside} onClick={() => onSelect(day)}>
                      {Number(day.slice(8))}
                    </button>
                  </td>
                )
              })}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  )
}

// The times of one date, as radio buttons: the booking flow's time step, used
// by rebooking too. Only the chosen date's times are listed (the calendar
// picks the date). A chosen time that starts within 24 hours gets a warning:
// once taken, it can no longer be changed online (rule 2).
import type { Schemas } from '../../../shared/api/client'
import { useI18n } from '../../../shared/i18n'
import { formatDateLong } from '../../../shared/lib/dates'
import { ErrorNotice, Loading, Notice } from '../../../shared/ui'
import { startsWithin24h } from '../lib/within-24h'

type Slot = Schemas['SlotResponse']

interface Props {
  /** The date whose times these are (YYYY-MM-DD). */
  date: string
  /** The date's times as the query has them. */
  slots: { data?: Slot[]; isPending: boolean; error: unknown }
  /** The id of the chosen time. */
  selected: string | null
  onSelect: (slot: Slot) => void
  /** When the flow was opened (ms since the epoch): "within 24 hours" counts from it. */
  now: number
  /** What the warning says about a time within 24 hours, in the flow's words. */
  within24h: string
}

export function TimePicker({ date, slots, selected, onSelect, now, within24h }: Props) {
  const { t, lang } = useI18n()
  const chosen = slots.data?.find((s) => s.id === selected)
  return (
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
            <input type="radio" name="time" value={s.id} checked={selected === s.id} onChange={() => onSelect(s)} />
            <span>
              {s.local_start_time}
              <small>{s.practitioner.name}</small>
            </span>
          </label>
        ))}
      </div>
      {chosen && startsWithin24h(chosen.starts_at, now) && <Notice kind="warning">{within24h}</Notice>}
    </fieldset>
  )
}

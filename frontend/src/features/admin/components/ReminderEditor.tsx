// A list of reminders before each visit (rule 14): up to three, each a
// number of hours before the visit, optionally only for bookings made at
// least so long ahead. Used for the region's list and a unit's own.
import { useId } from 'react'
import { useI18n } from '../../../shared/i18n'
import { Button, TextField } from '../../../shared/ui'
import type { ReminderOffset } from '../api/reminders'

export const MAX_REMINDERS = 3

/** A draft row: the numbers as typed. */
export type ReminderDraft = { hours_before: string; only_if_booked_hours_ahead: string }

export const toDrafts = (list: ReminderOffset[]): ReminderDraft[] =>
  list.map((o) => ({ hours_before: String(o.hours_before), only_if_booked_hours_ahead: o.only_if_booked_hours_ahead == null ? '' : String(o.only_if_booked_hours_ahead) }))

/** The drafts as the API takes them, or null when a number is not a whole number of hours (said at once, before any request). */
export const fromDrafts = (drafts: ReminderDraft[]): ReminderOffset[] | null => {
  const whole = (text: string) => /^\d{1,5}$/.test(text.trim())
  if (drafts.some((d) => !whole(d.hours_before) || (d.only_if_booked_hours_ahead.trim() !== '' && !whole(d.only_if_booked_hours_ahead)))) return null
  return drafts.map((d) => ({
    hours_before: Number(d.hours_before.trim()),
    only_if_booked_hours_ahead: d.only_if_booked_hours_ahead.trim() === '' ? null : Number(d.only_if_booked_hours_ahead.trim()),
  }))
}

/** "48 hours" read as days and hours, for the hint under a field. */
export function useHoursInWords() {
  const { t } = useI18n()
  return (text: string) => {
    if (!/^\d+$/.test(text.trim())) return undefined
    const hours = Number(text.trim())
    const days = Math.floor(hours / 24)
    const rest = hours % 24
    const hoursText = rest === 1 ? t('reminders.hour') : t('reminders.hours', { n: rest })
    const daysText = days === 1 ? t('reminders.day') : t('reminders.days', { n: days })
    if (days === 0) return hoursText
    return rest === 0 ? daysText : t('reminders.daysHours', { days: daysText, hours: hoursText })
  }
}

export function ReminderEditor({ drafts, onChange, error }: { drafts: ReminderDraft[]; onChange: (next: ReminderDraft[]) => void; error?: string }) {
  const { t } = useI18n()
  const inWords = useHoursInWords()
  const errorId = useId()
  const set = (i: number, change: Partial<ReminderDraft>) => onChange(drafts.map((d, j) => (j === i ? { ...d, ...change } : d)))
  return (
    <div className="reminder-editor" aria-describedby={error ? errorId : undefined}>
      {error && (
        <p className="field__error" id={errorId} role="alert" tabIndex={-1}>
          {error}
        </p>
      )}
      {drafts.length === 0 && <p>{t('reminders.none')}</p>}
      <ol className="reminder-editor__list">
        {drafts.map((d, i) => (
          <li key={i} className="reminder-editor__row">
            <TextField
              label={t('reminders.hoursBefore', { n: i + 1 })}
              inputMode="numeric"
              value={d.hours_before}
              hint={inWords(d.hours_before)}
              onChange={(e) => set(i, { hours_before: e.target.value })}
            />
            <TextField
              label={t('reminders.onlyIfAhead')}
              inputMode="numeric"
              value={d.only_if_booked_hours_ahead}
              hint={inWords(d.only_if_booked_hours_ahead) ?? t('reminders.onlyIfAheadHint')}
              onChange={(e) => set(i, { only_if_booked_hours_ahead: e.target.value })}
            />
            <Button variant="secondary" onClick={() => onChange(drafts.filter((_, j) => j !== i))}>
              {t('reminders.remove', { n: i + 1 })}
            </Button>
          </li>
        ))}
      </ol>
      {drafts.length < MAX_REMINDERS && (
        <Button variant="secondary" onClick={() => onChange([...drafts, { hours_before: '48', only_if_booked_hours_ahead: '' }])}>
          {t('reminders.add')}
        </Button>
      )}
    </div>
  )
}

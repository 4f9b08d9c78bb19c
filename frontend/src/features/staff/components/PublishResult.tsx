import { useI18n } from '../../../shared/i18n'
import { formatDateLong } from '../../../shared/lib/dates'
import { Notice } from '../../../shared/ui'
import type { PublishOutcome } from '../lib/publish-plan'

/** What a publication did (or, as a preview, would do), with the booked slots
 * staff must resolve and the public holidays left out. */
export function PublishResult({ result, preview = false }: { result: PublishOutcome; preview?: boolean }) {
  const { t, lang } = useI18n()
  const holidays = result.skipped_holidays
  const body = (
    <>
      <p>{t(preview ? 'schedule.wouldPublish' : 'schedule.published', { created: result.created, withdrawn: result.withdrawn })}</p>
      {holidays.length > 0 && (
        <>
          <p>{t(holidays.length === 1 ? 'schedule.skippedHoliday' : 'schedule.skippedHolidays', { n: holidays.length })}</p>
          <ul className="holidays">
            {holidays.map((h) => (
              <li key={h.date}>
                {formatDateLong(h.date, lang)} – {t(`holiday.${h.holiday}`)}
              </li>
            ))}
          </ul>
        </>
      )}
      {result.conflicts.length > 0 && (
        <>
          <p>{t(preview ? 'schedule.wouldConflict' : 'schedule.conflicts')}</p>
          <ul>
            {result.conflicts.map((c) => (
              <li key={c.slot_id}>
                {formatDateLong(c.local_date, lang)} {c.local_start_time} – {c.appointment_type.name}
              </li>
            ))}
          </ul>
        </>
      )}
    </>
  )
  // A preview is part of a question, not news: no live region of its own.
  if (preview) return body
  return <Notice kind={result.conflicts.length ? 'warning' : 'success'}>{body}</Notice>
}

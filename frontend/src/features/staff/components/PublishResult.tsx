import type { Schemas } from '../../../shared/api/client'
import { useI18n } from '../../../shared/i18n'
import { formatDateLong } from '../../../shared/lib/dates'
import { Notice } from '../../../shared/ui'

/** What a publication did, with the booked slots staff must resolve. */
export function PublishResult({ result }: { result: Schemas['PublishResponse'] }) {
  const { t, lang } = useI18n()
  return (
    <Notice kind={result.conflicts.length ? 'warning' : 'success'}>
      <p>{t('schedule.published', { created: result.created, withdrawn: result.withdrawn })}</p>
      {result.conflicts.length > 0 && (
        <>
          <p>{t('schedule.conflicts')}</p>
          <ul>
            {result.conflicts.map((c) => (
              <li key={c.slot_id}>
                {formatDateLong(c.local_date, lang)} {c.local_start_time} – {c.appointment_type.name}
              </li>
            ))}
          </ul>
        </>
      )}
    </Notice>
  )
}

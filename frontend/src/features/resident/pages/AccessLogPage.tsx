// Loggutdrag: who at which unit read or changed the resident's bookings,
// and when, in words. Repeated views of one day are one row
// (groupAccessLog); days are headings; rows are cards that fit a phone.
import { useI18n, type TextKey } from '../../../shared/i18n'
import { formatDateLong } from '../../../shared/lib/dates'
import { ErrorNotice, Loading, Page } from '../../../shared/ui'
import { useMyAccessLog } from '../api/get-access-log'
import { groupAccessLog, stockholmTime, type AccessGroup } from '../lib/group-access-log'

export function AccessLogPage() {
  const { t, lang } = useI18n()
  const log = useMyAccessLog()
  const groups = groupAccessLog(log.data ?? [])
  const days = [...new Set(groups.map((g) => g.day))]
  return (
    <Page title={t('log.title')}>
      <p>{t('log.intro')}</p>
      {log.isPending && <Loading />}
      <ErrorNotice error={log.error} />
      {log.data?.length === 0 && <p>{t('log.empty')}</p>}
      {days.map((day) => (
        <section key={day} aria-labelledby={`log-${day}`}>
          <h2 id={`log-${day}`} className="capitalize">
            {formatDateLong(day, lang)}
          </h2>
          <ul className="list">
            {groups
              .filter((g) => g.day === day)
              .map((g) => (
                <li key={`${g.who}|${g.unit}|${g.action}|${g.role}`} className="card log-entry">
                  <LogEntry group={g} />
                </li>
              ))}
          </ul>
        </section>
      ))}
    </Page>
  )
}

function LogEntry({ group: g }: { group: AccessGroup }) {
  const { t } = useI18n()
  const first = stockholmTime(g.first)
  const last = stockholmTime(g.last)
  return (
    <>
      <p>
        <strong>{g.who ?? t('log.someone')}</strong> <span className="muted">({t(`role.${g.role}` as TextKey)})</span>
        {g.unit && <span className="block">{g.unit}</span>}
      </p>
      <p>
        {t(`log.did.${g.action}` as TextKey)}
        {g.count > 1 && ` ${t('log.times', { n: g.count })}`},{' '}
        <time dateTime={g.first} className="nowrap">{first === last ? t('log.at', { time: first }) : t('log.between', { first, last })}</time>
      </p>
    </>
  )
}

import { useI18n, type TextKey } from '../../../shared/i18n'
import { formatInstant } from '../../../shared/lib/dates'
import { ErrorNotice, Loading, Page, TableScroll } from '../../../shared/ui'
import { useMyAccessLog } from '../api/get-access-log'

export function AccessLogPage() {
  const { t, lang } = useI18n()
  const log = useMyAccessLog()
  return (
    <Page title={t('log.title')}>
      <p>{t('log.intro')}</p>
      {log.isPending && <Loading />}
      <ErrorNotice error={log.error} />
      {log.data?.length === 0 && <p>{t('log.empty')}</p>}
      {log.data && log.data.length > 0 && (
        <TableScroll label={t('log.title')}>
          <table className="data">
            <thead>
              <tr>
                <th scope="col">{t('log.when')}</th>
                <th scope="col">{t('log.who')}</th>
                <th scope="col">{t('common.unit')}</th>
                <th scope="col">{t('log.what')}</th>
              </tr>
            </thead>
            <tbody>
              {log.data.map((e, i) => (
                <tr key={`${e.at}-${i}`}>
                  <td>{formatInstant(e.at, lang)}</td>
                  <td>
                    {e.who ?? '–'} <span className="muted">({t(`role.${e.role}` as TextKey)})</span>
                  </td>
                  <td>{e.unit ?? '–'}</td>
                  <td>{t(`log.action.${e.action}` as TextKey)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableScroll>
      )}
    </Page>
  )
}

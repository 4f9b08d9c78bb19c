import { useState } from 'react'
import { useI18n, type TextKey } from '../../../shared/i18n'
import { formatInstant } from '../../../shared/lib/dates'
import { ErrorNotice, Loading, Page, SelectField, TextField, TableScroll } from '../../../shared/ui'
import { UnitPicker } from '../../../shared/ui/UnitPicker'
import { ACCESS_ACTIONS, useUnitLog, type LogFilter } from '../api/access-log'
import { useMe } from '../api/staff-me'

export function UnitLogPage() {
  const { t, lang } = useI18n()
  const me = useMe()
  const [unitId, setUnitId] = useState<string | null>(null)
  const [filter, setFilter] = useState<LogFilter>({ action: '', from: '', to: '' })
  const log = useUnitLog(unitId, filter)
  return (
    <Page title={t('admin.logTitle')} wide>
      <p>{t('admin.logIntro')}</p>
      <div className="toolbar">
        {me.data && <UnitPicker me={me.data} value={unitId} onChange={setUnitId} />}
        <SelectField label={t('admin.action')} value={filter.action} onChange={(e) => setFilter({ ...filter, action: ACCESS_ACTIONS.find((a) => a === e.target.value) ?? '' })}>
          <option value="">{t('admin.allActions')}</option>
          {ACCESS_ACTIONS.map((a) => (
            <option key={a} value={a}>
              {t(`log.action.${a}` as TextKey)}
            </option>
          ))}
        </SelectField>
        <TextField label={t('common.from')} type="date" value={filter.from} onChange={(e) => setFilter({ ...filter, from: e.target.value })} />
        <TextField label={t('common.to')} type="date" value={filter.to} onChange={(e) => setFilter({ ...filter, to: e.target.value })} />
      </div>
      {log.isPending && unitId && <Loading />}
      <ErrorNotice error={me.error ?? log.error} />
      {log.data && (
        <TableScroll label={t('admin.logTitle')}>
          <table className="data">
            <thead>
              <tr>
                <th scope="col">{t('log.when')}</th>
                <th scope="col">{t('log.who')}</th>
                <th scope="col">{t('log.what')}</th>
                <th scope="col">{t('common.resident')}</th>
              </tr>
            </thead>
            <tbody>
              {log.data.map((e) => (
                <tr key={e.id}>
                  <td>{formatInstant(e.at, lang)}</td>
                  <td>
                    {e.actor_name ?? e.actor_id} <span className="muted">({t(`role.${e.actor_role}` as TextKey)})</span>
                  </td>
                  <td>{t(`log.action.${e.action}` as TextKey)}</td>
                  <td className="muted">{e.resident_id.slice(0, 8)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableScroll>
      )}
    </Page>
  )
}

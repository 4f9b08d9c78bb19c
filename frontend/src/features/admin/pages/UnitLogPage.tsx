// The unit's access log: who read or changed whose data, grouped so that a
// morning of looking at the book is one row, not forty. Patients are named
// (name and personal identity number), never shown as ids.
import { useState } from 'react'
import type { Schemas } from '../../../shared/api/client'
import { useI18n, type TextKey } from '../../../shared/i18n'
import { formatDateLong } from '../../../shared/lib/dates'
import { ErrorNotice, Loading, Page, SelectField, TextField } from '../../../shared/ui'
import { UnitPicker } from '../../../shared/ui/UnitPicker'
import { ACCESS_ACTIONS, useUnitLog, type LogFilter } from '../api/access-log'
import { useStaffMe } from '../../../shared/auth/staff-me'
import { groupLog, timeOf } from '../lib/log-groups'

export function UnitLogPage() {
  const { t, lang } = useI18n()
  const me = useStaffMe()
  const [unitId, setUnitId] = useState<string | null>(null)
  const [filter, setFilter] = useState<LogFilter>({ action: '', from: '', to: '' })
  const log = useUnitLog(unitId, filter)
  const groups = log.data ? groupLog(log.data) : null
  return (
    <Page title={t('admin.logTitle')} wide>
      <p>
        {t('admin.logIntro')} {t('admin.logGrouped')}
      </p>
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
      {groups && (
        <table className="data log">
          <caption className="visually-hidden">{t('admin.logTitle')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('log.when')}</th>
              <th scope="col">{t('log.who')}</th>
              <th scope="col">{t('log.what')}</th>
              <th scope="col">{t('common.resident')}</th>
            </tr>
          </thead>
          <tbody>
            {groups.map((g) => {
              const from = timeOf(g.first)
              const to = timeOf(g.last)
              return (
                <tr key={g.key}>
                  <td>
                    {formatDateLong(g.date, lang)}
                    <br />
                    {from === to ? `${t('staff.at')} ${from}` : `${from}–${to}`}
                  </td>
                  <td>
                    {g.actorName ?? t('admin.unknownActor')}
                    <br />
                    <span className="muted">{t(`role.${g.actorRole}` as TextKey)}</span>
                  </td>
                  <td>
                    {t(`log.action.${g.action}` as TextKey)}
                    {g.count > 1 && <span className="muted"> ({t('admin.times', { n: g.count })})</span>}
                  </td>
                  <td>
                    <Residents residents={g.residents} />
                  </td>
                </tr>
              )
            })}
          </tbody>
        </table>
      )}
    </Page>
  )
}

/** A patient is named with their personal identity number (the number alone
 * when the register has no name); a view of many folds them into a list. */
function Residents({ residents }: { residents: Schemas['ResidentRef'][] }) {
  const { t } = useI18n()
  const list = (
    <ul className="log__residents">
      {residents.map((r) => (
        <li key={r.id}>
          {r.name && <>{r.name} </>}
          <span className={r.name ? 'muted nowrap' : 'nowrap'}>{r.personal_identity_number}</span>
        </li>
      ))}
    </ul>
  )
  if (residents.length <= 3) return list
  return (
    <details>
      <summary>{t('admin.patientCount', { n: residents.length })}</summary>
      {list}
    </details>
  )
}

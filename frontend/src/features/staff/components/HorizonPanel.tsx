import type { Schemas } from '../../../shared/api/client'
import { useI18n } from '../../../shared/i18n'
import { formatDateLong } from '../../../shared/lib/dates'
import { Notice, TableScroll } from '../../../shared/ui'

/** Rule 6: where the unit's schedule falls short of eight weeks. */
export function HorizonPanel({ report }: { report: Schemas['HorizonResponse'] }) {
  const { t, lang } = useI18n()
  return (
    <section aria-label={`${t('schedule.horizon')} – ${report.unit.name}`}>
      <h3>
        {t('schedule.horizon')} – {report.unit.name}
      </h3>
      <Notice kind={report.short ? 'warning' : 'success'}>
        {report.short ? t('schedule.horizonShort', { date: formatDateLong(report.required_until, lang) }) : t('schedule.horizonOk')}
        {report.unscheduled.length > 0 && <p>{t('schedule.unscheduled', { names: report.unscheduled.map((p) => p.name).join(', ') })}</p>}
      </Notice>
      {report.rows.length > 0 && (
        <TableScroll label={`${t('schedule.horizon')} – ${report.unit.name}`}>
          <table className="data">
            <thead>
              <tr>
                <th scope="col">{t('common.practitioner')}</th>
                <th scope="col">{t('common.type')}</th>
                <th scope="col">{t('schedule.lastDate')}</th>
              </tr>
            </thead>
            <tbody>
              {report.rows.map((r) => (
                <tr key={`${r.practitioner.id}-${r.appointment_type.id}`}>
                  <td>{r.practitioner.name}</td>
                  <td>{r.appointment_type.name}</td>
                  <td>
                    {formatDateLong(r.last_date, lang)}
                    {!r.reaches_horizon && <strong> ⚠</strong>}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableScroll>
      )}
    </section>
  )
}

import { useState } from 'react'
import { useI18n } from '../../../shared/i18n'
import { addDays, formatDateLong, formatInstant, todayInStockholm } from '../../../shared/lib/dates'
import { ErrorNotice, Loading, Page, TextField, TableScroll } from '../../../shared/ui'
import { useCancellations } from '../api/get-cancellations'
import { useStaffMe } from '../../../shared/auth/staff-me'
import { UnitPicker } from '../../../shared/ui/UnitPicker'

export function CancellationsPage() {
  const { t, lang } = useI18n()
  const me = useStaffMe()
  const [unitId, setUnitId] = useState<string | null>(null)
  const [sinceDate, setSinceDate] = useState(() => addDays(todayInStockholm(), -7))
  const feed = useCancellations(unitId, `${sinceDate}T00:00:00Z`)
  return (
    <Page title={t('staff.feedTitle')} wide>
      <p>
        {t('staff.feedIntro')} {t('staff.feedOrder')}
      </p>
      <div className="toolbar">
        {me.data && <UnitPicker me={me.data} value={unitId} onChange={setUnitId} />}
        <TextField label={t('staff.since')} type="date" value={sinceDate} onChange={(e) => e.target.value && setSinceDate(e.target.value)} />
      </div>
      {feed.isPending && unitId && <Loading />}
      <ErrorNotice error={me.error ?? feed.error} />
      {feed.data?.length === 0 && <p>{t('staff.feedEmpty', { since: formatDateLong(sinceDate, lang) })}</p>}
      {feed.data && feed.data.length > 0 && (
        <TableScroll label={t('staff.feedNewestFirst')}>
          <table className="data">
            <thead>
              <tr>
                <th scope="col">{t('log.when')}</th>
                <th scope="col">{t('common.resident')}</th>
                <th scope="col">{t('common.time')}</th>
                <th scope="col">{t('log.what')}</th>
                <th scope="col">{t('common.reason')}</th>
              </tr>
            </thead>
            <tbody>
              {feed.data.map((e) => (
                <tr key={`${e.booking.id}-${e.kind}-${e.at}`}>
                  <td>{formatInstant(e.at, lang)}</td>
                  <td>
                    {e.booking.resident.name} <span className="muted nowrap">{e.booking.resident.personal_identity_number}</span>
                  </td>
                  <td>
                    {formatDateLong(e.booking.local_date, lang)} {e.booking.local_start_time} · {e.booking.appointment_type.name} · {e.booking.practitioner.name}
                  </td>
                  <td>
                    {e.kind === 'cancelled'
                      ? t('staff.feedCancelled')
                      : e.rebooked_to
                        ? t('staff.feedRebooked', { date: formatDateLong(e.rebooked_to.local_date, lang), time: e.rebooked_to.local_start_time })
                        : t('status.rebooked')}
                  </td>
                  <td>{e.booking.cancellation?.reason ?? '–'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableScroll>
      )}
    </Page>
  )
}

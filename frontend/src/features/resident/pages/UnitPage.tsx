import { Link, useParams } from 'react-router-dom'
import { useI18n } from '../../../shared/i18n'
import { ErrorNotice, Loading, Notice, Page, TextWithPhone } from '../../../shared/ui'
import { useUnit } from '../api/get-unit'

export function UnitPage() {
  const { unitId = '' } = useParams()
  const { t } = useI18n()
  const unit = useUnit(unitId)
  const service = (name: string) => unit.data?.services.find((s) => s.service === name)
  const booking = service('book_online')
  const changing = service('cancel_rebook_online')
  return (
    <Page title={unit.data?.name ?? t('units.title')}>
      {unit.isPending && <Loading />}
      <ErrorNotice error={unit.error} />
      {unit.data && (
        <>
          {unit.data.address && <p className="muted">{unit.data.address}</p>}
          {unit.data.phone && (
            <p>
              <TextWithPhone text={t('bookings.callUnit')} phone={unit.data.phone} />
            </p>
          )}
          <h2>{t('units.services')}</h2>
          <ul className="list">
            {booking && (
              <li className="card">
                <h3>{booking.available ? <Link to={`/units/${unitId}/book`}>{t('units.bookOnline')}</Link> : t('units.bookOnline')}</h3>
                {!booking.available && <Notice kind="warning">{t('units.notAvailable')}</Notice>}
              </li>
            )}
            {changing && (
              <li className="card">
                <h3>{changing.available ? <Link to="/bookings">{t('units.changeOnline')}</Link> : t('units.changeOnline')}</h3>
                {!changing.available && <Notice kind="warning">{t('units.notAvailable')}</Notice>}
                {changing.available && (
                  <details>
                    <summary>{t('units.showTerms')}</summary>
                    <div className="terms" dangerouslySetInnerHTML={{ __html: changing.terms_html }} />
                  </details>
                )}
              </li>
            )}
          </ul>
        </>
      )}
    </Page>
  )
}

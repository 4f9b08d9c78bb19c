import { Link } from 'react-router-dom'
import { useI18n } from '../../../shared/i18n'
import { ErrorNotice, Loading, Page } from '../../../shared/ui'
import { useUnits } from '../api/get-units'

export function UnitsPage() {
  const { t } = useI18n()
  const units = useUnits()
  return (
    <Page title={t('units.title')}>
      <p>{t('units.intro')}</p>
      {units.isPending && <Loading />}
      <ErrorNotice error={units.error} />
      <ul className="list">
        {units.data?.map((u) => (
          <li key={u.id} className="card">
            <h2>
              <Link to={`/units/${u.id}`}>{u.name}</Link>
            </h2>
            {u.address && <p className="muted">{u.address}</p>}
          </li>
        ))}
      </ul>
    </Page>
  )
}

// The frame of every page: skip link, header with language switch and
// logout, the navigation of the role, and the main landmark.
import { NavLink, Outlet, useNavigate } from 'react-router-dom'
import { useQueryClient } from '@tanstack/react-query'
import { useSession, type Role } from '../shared/auth/session'
import { useI18n, type TextKey } from '../shared/i18n'
import { Button } from '../shared/ui'
import { RouteBoundary } from './RouteBoundary'

const NAV: Record<Role, [string, TextKey][]> = {
  resident: [
    ['/bookings', 'nav.bookings'],
    ['/units', 'nav.units'],
    ['/inbox', 'nav.inbox'],
    ['/settings', 'nav.settings'],
    ['/access-log', 'nav.accessLog'],
  ],
  staff: [
    ['/staff/book', 'nav.book'],
    ['/staff/schedule', 'nav.schedule'],
    ['/staff/cancellations', 'nav.cancellations'],
  ],
  unit_admin: [
    ['/staff/book', 'nav.book'],
    ['/staff/schedule', 'nav.schedule'],
    ['/staff/cancellations', 'nav.cancellations'],
    ['/admin/services', 'nav.services'],
    ['/admin/log', 'nav.unitLog'],
  ],
  regional_admin: [
    ['/admin/catalogue', 'nav.catalogue'],
    ['/admin/services', 'nav.services'],
    ['/staff/schedule', 'nav.schedule'],
  ],
}

export function Layout() {
  const { t, lang, setLang } = useI18n()
  const { session, signOut } = useSession()
  const navigate = useNavigate()
  const queries = useQueryClient()
  return (
    <>
      <a className="skip" href="#main">
        {t('app.skip')}
      </a>
      <header className="header">
        <div className="header__bar">
          <NavLink className="header__brand" to="/">
            {t('app.name')}
          </NavLink>
          <div className="header__tools">
            {session && <span>{t('app.loggedInAs', { name: session.name })}</span>}
            <Button variant="link" lang={lang === 'sv' ? 'en' : 'sv'} onClick={() => setLang(lang === 'sv' ? 'en' : 'sv')}>
              {t('app.switchLanguage')}
            </Button>
            {session && (
              <Button
                variant="link"
                onClick={() => {
                  signOut()
                  queries.clear()
                  navigate('/login')
                }}
              >
                {t('app.logout')}
              </Button>
            )}
          </div>
        </div>
        {session && (
          <nav className="nav" aria-label={t('app.mainNav')}>
            <ul>
              {NAV[session.role].map(([to, key]) => (
                <li key={to}>
                  <NavLink to={to}>{t(key)}</NavLink>
                </li>
              ))}
            </ul>
          </nav>
        )}
      </header>
      <main id="main" tabIndex={-1}>
        <RouteBoundary>
          <Outlet />
        </RouteBoundary>
      </main>
    </>
  )
}

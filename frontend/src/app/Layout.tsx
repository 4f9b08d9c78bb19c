// The frame of every page: skip link, a compact header (name, language
// switch, logout) over the role's navigation, and the main landmark. On a
// phone the header is two short rows, so a page's heading starts within
// the first 120 pixels; the navigation scrolls sideways inside its own row
// when it does not fit, never the page.
import { useEffect, useRef } from 'react'
import { NavLink, Outlet, useLocation, useNavigate } from 'react-router-dom'
import { useQueryClient } from '@tanstack/react-query'
import { useUnreadCount } from '../features/resident/api/get-inbox'
import { ActingChip, useActingGuard } from '../features/resident/components/ActingChip'
import { useActingFor } from '../shared/auth/acting'
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
    ['/staff/invitations', 'nav.invitations'],
  ],
  unit_admin: [
    ['/staff/book', 'nav.book'],
    ['/staff/schedule', 'nav.schedule'],
    ['/staff/cancellations', 'nav.cancellations'],
    ['/staff/invitations', 'nav.invitations'],
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
  const unread = useUnreadCount(session?.role === 'resident')
  const acting = useActingFor()
  useActingGuard(session?.role === 'resident')
  const nav = useRef<HTMLUListElement>(null)
  const { pathname } = useLocation()
  // The current page's link stays in sight in a menu row that scrolls sideways.
  useEffect(() => {
    const current = nav.current?.querySelector<HTMLElement>('[aria-current="page"]')
    if (current && nav.current) nav.current.scrollLeft = Math.max(0, current.offsetLeft + current.offsetWidth - nav.current.clientWidth + 16)
  }, [pathname])
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
          {session && acting && session.role === 'resident' ? (
            <ActingChip />
          ) : (
            session && (
              <span className="header__who" title={session.name}>
                <span className="visually-hidden">{t('app.loggedInAs', { name: '' })}</span>
                {session.name}
              </span>
            )
          )}
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
        {session && (
          <nav className="nav" aria-label={t('app.mainNav')}>
            <ul ref={nav}>
              {/* Notification settings are the guardian's own, not the child's. */}
              {NAV[session.role].filter(([to]) => !(acting && to === '/settings')).map(([to, key]) => {
                // The inbox link's name carries the count in words ("Inkorg, 2 olästa"); the badge shows it.
                const badge = to === '/inbox' && unread > 0
                const name = badge ? `${t(key)}${unread === 1 ? t('nav.unreadOne') : t('nav.unread', { n: unread })}` : undefined
                return (
                  <li key={to}>
                    <NavLink to={to} aria-label={name}>
                      {t(key)}
                      {badge && (
                        <span className="nav__badge" aria-hidden="true">
                          {unread}
                        </span>
                      )}
                    </NavLink>
                  </li>
                )
              })}
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

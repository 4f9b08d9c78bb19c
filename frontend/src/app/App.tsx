// Routes and providers. Each route belongs to roles; others are sent home.
// The pages of each area (resident, staff, admin, login) are loaded on
// demand, so a resident's phone never downloads staff or admin code
// (scripts/check-bundle.mjs fails the build if it would).
import { MutationCache, QueryCache, QueryClient, QueryClientProvider } from '@tanstack/react-query'
import { lazy, useState, type ComponentType, type ReactNode } from 'react'
import { BrowserRouter, Link, Navigate, Route, Routes } from 'react-router-dom'
import { ProblemError } from '../shared/api/client'
import { getActingFor, setActingFor } from '../shared/auth/acting'
import { homeOf, SessionProvider, useSession, type Role } from '../shared/auth/session'
import { I18nProvider, useI18n } from '../shared/i18n'
import { Page } from '../shared/ui'
import { Layout } from './Layout'

/** Lazy pages of one area: every page of the area comes from the same chunk. */
function area<M extends Record<string, unknown>>(load: () => Promise<M>) {
  return (name: keyof M & string) => lazy(async () => ({ default: (await load())[name] as ComponentType }))
}
const resident = area(() => import('./areas/resident'))
const staff = area(() => import('./areas/staff'))
const admin = area(() => import('./areas/admin'))
const login = area(() => import('./areas/login'))

const LoginPage = login('LoginPage')
const MyBookingsPage = resident('MyBookingsPage')
const RebookPage = resident('RebookPage')
const InvitationPage = resident('InvitationPage')
const UnitsPage = resident('UnitsPage')
const UnitPage = resident('UnitPage')
const BookPage = resident('BookPage')
const InboxPage = resident('InboxPage')
const SettingsPage = resident('SettingsPage')
const AccessLogPage = resident('AccessLogPage')
const AppointmentBookPage = staff('AppointmentBookPage')
const SchedulePage = staff('SchedulePage')
const CancellationsPage = staff('CancellationsPage')
const InvitationsPage = staff('InvitationsPage')
const CataloguePage = admin('CataloguePage')
const ServicesPage = admin('ServicesPage')
const UnitLogPage = admin('UnitLogPage')

function Only({ roles, children }: { roles: Role[]; children: ReactNode }) {
  const { session } = useSession()
  if (!session) return <Navigate to="/login" replace />
  if (!roles.includes(session.role)) return <Navigate to={homeOf(session.role)} replace />
  return <>{children}</>
}

function Home() {
  const { session } = useSession()
  return <Navigate to={session ? homeOf(session.role) : '/login'} replace />
}

/** Says once that there is no such page, and offers the way home. */
function NotFound() {
  const { t } = useI18n()
  const { session } = useSession()
  return (
    <Page title={t('app.notFound')}>
      <p>{t('app.notFoundHelp')}</p>
      <p>
        {session ? (
          <Link to={homeOf(session.role)}>{t(session.role === 'resident' ? 'app.toBookings' : 'app.toStart')}</Link>
        ) : (
          <Link to="/login">{t('app.toLogin')}</Link>
        )}
      </p>
    </Page>
  )
}

const RESIDENT: Role[] = ['resident']
const BOOK: Role[] = ['staff', 'unit_admin']
const SCHEDULE: Role[] = ['staff', 'unit_admin', 'regional_admin']

function Routed() {
  const { signOut } = useSession()
  // An expired or refused token ends the session everywhere.
  const [queries] = useState(() => {
    const onError = (error: unknown) => {
      if (!(error instanceof ProblemError)) return
      if (error.status === 401) {
        signOut()
        // Nothing of this person stays for whoever logs in next in the tab.
        client.clear()
      } else if (error.slug === 'guardian-access-ended' && getActingFor()) {
        // Rule 17: the child's birthday at the age limit has come.
        setActingFor(null)
        client.clear()
      }
    }
    const client = new QueryClient({
      queryCache: new QueryCache({ onError }),
      mutationCache: new MutationCache({ onError }),
      defaultOptions: { queries: { retry: (count, error) => !(error instanceof ProblemError && error.status < 500) && count < 2, staleTime: 10_000 } },
    })
    return client
  })
  return (
    <QueryClientProvider client={queries}>
      <Routes>
        <Route element={<Layout />}>
          <Route index element={<Home />} />
          <Route path="login" element={<LoginPage />} />
          <Route path="bookings" element={<Only roles={RESIDENT}><MyBookingsPage /></Only>} />
          <Route path="bookings/:bookingId/rebook" element={<Only roles={RESIDENT}><RebookPage /></Only>} />
          <Route path="invitations/:invitationId" element={<Only roles={RESIDENT}><InvitationPage /></Only>} />
          <Route path="units" element={<Only roles={RESIDENT}><UnitsPage /></Only>} />
          <Route path="units/:unitId" element={<Only roles={RESIDENT}><UnitPage /></Only>} />
          <Route path="units/:unitId/book" element={<Only roles={RESIDENT}><BookPage /></Only>} />
          <Route path="inbox" element={<Only roles={RESIDENT}><InboxPage /></Only>} />
          <Route path="settings" element={<Only roles={RESIDENT}><SettingsPage /></Only>} />
          <Route path="access-log" element={<Only roles={RESIDENT}><AccessLogPage /></Only>} />
          <Route path="staff/book" element={<Only roles={BOOK}><AppointmentBookPage /></Only>} />
          <Route path="staff/schedule" element={<Only roles={SCHEDULE}><SchedulePage /></Only>} />
          <Route path="staff/cancellations" element={<Only roles={BOOK}><CancellationsPage /></Only>} />
          <Route path="staff/invitations" element={<Only roles={BOOK}><InvitationsPage /></Only>} />
          <Route path="admin/catalogue" element={<Only roles={['regional_admin']}><CataloguePage /></Only>} />
          <Route path="admin/services" element={<Only roles={['unit_admin', 'regional_admin']}><ServicesPage /></Only>} />
          <Route path="admin/log" element={<Only roles={['unit_admin']}><UnitLogPage /></Only>} />
          <Route path="*" element={<NotFound />} />
        </Route>
      </Routes>
    </QueryClientProvider>
  )
}

export function App() {
  return (
    <I18nProvider>
      <SessionProvider>
        <BrowserRouter>
          <Routed />
        </BrowserRouter>
      </SessionProvider>
    </I18nProvider>
  )
}

// Routes and providers. Each route belongs to roles; others are sent home.
import { MutationCache, QueryCache, QueryClient, QueryClientProvider } from '@tanstack/react-query'
import { useState, type ReactNode } from 'react'
import { BrowserRouter, Navigate, Route, Routes } from 'react-router-dom'
import { AccessLogPage } from '../features/citizen/pages/AccessLogPage'
import { BookPage } from '../features/citizen/pages/BookPage'
import { InboxPage } from '../features/citizen/pages/InboxPage'
import { MyBookingsPage } from '../features/citizen/pages/MyBookingsPage'
import { RebookPage } from '../features/citizen/pages/RebookPage'
import { SettingsPage } from '../features/citizen/pages/SettingsPage'
import { UnitPage } from '../features/citizen/pages/UnitPage'
import { UnitsPage } from '../features/citizen/pages/UnitsPage'
import { homeOf, LoginPage } from '../features/auth/LoginPage'
import { BookWeekPage } from '../features/staff/pages/BookWeekPage'
import { CancellationsPage } from '../features/staff/pages/CancellationsPage'
import { SchedulePage } from '../features/staff/pages/SchedulePage'
import { CataloguePage } from '../features/admin/pages/CataloguePage'
import { ServicesPage } from '../features/admin/pages/ServicesPage'
import { UnitLogPage } from '../features/admin/pages/UnitLogPage'
import { ProblemError } from '../shared/api/client'
import { SessionProvider, useSession, type Role } from '../shared/auth/session'
import { I18nProvider, useI18n } from '../shared/i18n'
import { Page } from '../shared/ui'
import { Layout } from './Layout'

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

function NotFound() {
  const { t } = useI18n()
  return (
    <Page title={t('app.notFound')}>
      <p>{t('app.notFound')}</p>
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
      if (error instanceof ProblemError && error.status === 401) signOut()
    }
    return new QueryClient({
      queryCache: new QueryCache({ onError }),
      mutationCache: new MutationCache({ onError }),
      defaultOptions: { queries: { retry: (count, error) => !(error instanceof ProblemError && error.status < 500) && count < 2, staleTime: 10_000 } },
    })
  })
  return (
    <QueryClientProvider client={queries}>
      <Routes>
        <Route element={<Layout />}>
          <Route index element={<Home />} />
          <Route path="login" element={<LoginPage />} />
          <Route path="bookings" element={<Only roles={RESIDENT}><MyBookingsPage /></Only>} />
          <Route path="bookings/:bookingId/rebook" element={<Only roles={RESIDENT}><RebookPage /></Only>} />
          <Route path="units" element={<Only roles={RESIDENT}><UnitsPage /></Only>} />
          <Route path="units/:unitId" element={<Only roles={RESIDENT}><UnitPage /></Only>} />
          <Route path="units/:unitId/book" element={<Only roles={RESIDENT}><BookPage /></Only>} />
          <Route path="inbox" element={<Only roles={RESIDENT}><InboxPage /></Only>} />
          <Route path="settings" element={<Only roles={RESIDENT}><SettingsPage /></Only>} />
          <Route path="access-log" element={<Only roles={RESIDENT}><AccessLogPage /></Only>} />
          <Route path="staff/book" element={<Only roles={BOOK}><BookWeekPage /></Only>} />
          <Route path="staff/schedule" element={<Only roles={SCHEDULE}><SchedulePage /></Only>} />
          <Route path="staff/cancellations" element={<Only roles={BOOK}><CancellationsPage /></Only>} />
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

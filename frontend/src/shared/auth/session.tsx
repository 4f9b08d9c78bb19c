import { createContext, useCallback, useContext, useMemo, useState, type ReactNode } from 'react'
import { clearDrafts } from '../lib/drafts'
import { setActingFor } from './acting'
import { readSession, writeSession, type Role, type StoredSession } from './token'

export type { Role, StoredSession } from './token'

/** Where a role starts: the page after login, the way home from a 404. */
export function homeOf(role: Role): string {
  switch (role) {
    case 'resident':
      return '/bookings'
    case 'regional_admin':
      return '/admin/catalogue'
    default:
      return '/staff/book'
  }
}

interface SessionContext {
  session: StoredSession | null
  signIn: (session: StoredSession) => void
  signOut: () => void
}

const Context = createContext<SessionContext | null>(null)

export function SessionProvider({ children }: { children: ReactNode }) {
  const [session, setSession] = useState<StoredSession | null>(() => readSession())
  const signIn = useCallback((s: StoredSession) => {
    writeSession(s)
    setSession(s)
  }, [])
  const signOut = useCallback(() => {
    writeSession(null)
    setActingFor(null)
    clearDrafts()
    setSession(null)
  }, [])
  const value = useMemo(() => ({ session, signIn, signOut }), [session, signIn, signOut])
  return <Context.Provider value={value}>{children}</Context.Provider>
}

export function useSession(): SessionContext {
  const context = useContext(Context)
  if (!context) throw new Error('useSession outside SessionProvider')
  return context
}

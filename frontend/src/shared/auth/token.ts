// The bearer token lives in sessionStorage: gone with the tab, never in a URL.
const KEY = 'tidbok.session'

export type Role = 'resident' | 'staff' | 'unit_admin' | 'regional_admin'

export interface StoredSession {
  token: string
  role: Role
  name: string
}

export function readSession(): StoredSession | null {
  try {
    const raw = sessionStorage.getItem(KEY)
    return raw ? (JSON.parse(raw) as StoredSession) : null
  } catch {
    return null
  }
}

export function writeSession(session: StoredSession | null): void {
  if (session) sessionStorage.setItem(KEY, JSON.stringify(session))
  else sessionStorage.removeItem(KEY)
}

export function getToken(): string | null {
  return readSession()?.token ?? null
}

// Rule 17: the child a guardian acts for. Kept in sessionStorage beside the
// token (gone with the tab, never in a URL) and sent on every resident
// request as the Tidbok-Acting-For header; the server checks it each time.
import { useSyncExternalStore } from 'react'

const KEY = 'tidbok.actingFor'
export const ACTING_FOR_HEADER = 'Tidbok-Acting-For'
const listeners = new Set<() => void>()

export function getActingFor(): string | null {
  try {
    return sessionStorage.getItem(KEY)
  } catch {
    return null
  }
}

export function setActingFor(child: string | null): void {
  if (child) sessionStorage.setItem(KEY, child)
  else sessionStorage.removeItem(KEY)
  listeners.forEach((l) => l())
}

function subscribe(listener: () => void): () => void {
  listeners.add(listener)
  return () => listeners.delete(listener)
}

/** The child acted for now (null: the resident themself). */
export function useActingFor(): string | null {
  return useSyncExternalStore(subscribe, getActingFor, () => null)
}

// Unfinished forms kept in sessionStorage: they survive a reload of the tab
// but never reach a URL, and they go when the tab closes or the user logs
// out (free text such as a reason for visit is personal data).
const PREFIX = 'tidbok.draft.'

export function readDraft<T extends object>(name: string, empty: T): T {
  try {
    const raw = sessionStorage.getItem(PREFIX + name)
    return raw ? { ...empty, ...(JSON.parse(raw) as Partial<T>) } : empty
  } catch {
    return empty
  }
}

export function writeDraft<T extends object>(name: string, value: T): void {
  try {
    sessionStorage.setItem(PREFIX + name, JSON.stringify(value))
  } catch {
    /* storage full or off: the draft lives only in memory */
  }
}

export function clearDraft(name: string): void {
  sessionStorage.removeItem(PREFIX + name)
}

/** Every draft of the tab, at logout. */
export function clearDrafts(): void {
  for (const key of Object.keys(sessionStorage)) if (key.startsWith(PREFIX)) sessionStorage.removeItem(key)
}

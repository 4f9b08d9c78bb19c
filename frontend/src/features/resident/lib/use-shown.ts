import { useState } from 'react'

/** A value from the URL that the page shows at once, before the navigation
 * that changes it has finished (the router applies it in a transition; a
 * checked radio must not flicker back meanwhile). */
export function useShown<T>(value: T): [T, (next: T) => void] {
  const [seen, setSeen] = useState(value)
  const [shown, setShown] = useState(value)
  if (!Object.is(value, seen)) {
    setSeen(value)
    setShown(value)
  }
  return [shown, setShown]
}

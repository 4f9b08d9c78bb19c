import { useEffect, useState } from 'react'

/** The current instant, renewed every `everyMs` (the now-line and what counts
 * as past follow the clock while the book stays open). */
export function useNow(everyMs = 30_000): Date {
  const [now, setNow] = useState(() => new Date())
  useEffect(() => {
    const timer = window.setInterval(() => setNow(new Date()), everyMs)
    return () => window.clearInterval(timer)
  }, [everyMs])
  return now
}

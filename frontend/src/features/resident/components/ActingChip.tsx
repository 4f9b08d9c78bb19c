// Rule 17, in the frame of every page:
// - ActingChip, in the header while a child is acted for (in place of the
//   resident's own name, so the page's heading stays high);
// - useActingGuard: back to oneself when the child is no longer acted for
//   (the birthday has come, the register changed) or the list of children
//   cannot be had.
// The switcher itself is on "Bokade tider" (ActingForSwitcher.tsx).
import { useEffect } from 'react'
import { useQueryClient, type QueryClient } from '@tanstack/react-query'
import { setActingFor, useActingFor } from '../../../shared/auth/acting'
import { useI18n } from '../../../shared/i18n'
import { childrenKey, useMyChildren } from '../api/children'

/** Drops everything loaded for one person but the list of children; what
 * is on screen is loaded again, now for the other. */
export function forgetOthers(queries: QueryClient) {
  void queries.resetQueries({ predicate: (q) => q.queryKey[0] !== childrenKey[0] || q.queryKey[1] !== childrenKey[1] })
}

export function useActingGuard(enabled: boolean) {
  const acting = useActingFor()
  const children = useMyChildren(enabled && acting !== null)
  const queries = useQueryClient()
  const current = children.data?.find((c) => c.id === acting && c.may_act)
  useEffect(() => {
    if (acting && ((children.isSuccess && !current) || children.isError)) {
      setActingFor(null)
      forgetOthers(queries)
    }
  }, [acting, children.isSuccess, children.isError, current, queries])
}

export function ActingChip() {
  const { t } = useI18n()
  const acting = useActingFor()
  const children = useMyChildren(acting !== null)
  if (!acting) return null
  const current = children.data?.find((c) => c.id === acting)
  // The given name fits a phone's header; the full name is on "Bokade tider".
  return (
    <span className="header__child" title={current?.name}>
      <span className="visually-hidden">{t('acting.label')}: </span>
      {current ? current.name.split(' ')[0] : t('acting.pending')}
    </span>
  )
}

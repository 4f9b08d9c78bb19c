// Rule 17: the children the population register names the resident
// guardian of (never sent for a child: see shared/api/client.ts).
import { useQuery } from '@tanstack/react-query'
import { api, call } from '../../../shared/api/client'
import { useActingFor } from '../../../shared/auth/acting'

export const childrenKey = ['me', 'children'] as const

export const useMyChildren = (enabled: boolean) =>
  useQuery({ queryKey: childrenKey, queryFn: () => call(api.GET('/api/v1/me/children')), enabled, staleTime: 5 * 60_000 })

/** The child the resident acts for now, or null when they act for themself. */
export function useActingChild() {
  const acting = useActingFor()
  const children = useMyChildren(acting !== null)
  return (acting && children.data?.find((c) => c.id === acting && c.may_act)) || null
}

// Rule 19: the unit's invitations to book, and inviting a resident.
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query'
import { api, call, type Schemas } from '../../../shared/api/client'

const key = (unitId: string | null) => ['units', unitId, 'invitations'] as const
const path = (unitId: string) => ({ params: { path: { unit_id: unitId } } })

export const useUnitInvitations = (unitId: string | null) =>
  useQuery({ queryKey: key(unitId), queryFn: () => call(api.GET('/api/v1/units/{unit_id}/invitations', path(unitId ?? ''))), enabled: unitId !== null })

export const useInvite = (unitId: string) => {
  const client = useQueryClient()
  return useMutation({
    mutationFn: (body: Schemas['InviteRequest']) => call(api.POST('/api/v1/units/{unit_id}/invitations', { ...path(unitId), body })),
    onSuccess: () => client.invalidateQueries({ queryKey: key(unitId) }),
  })
}

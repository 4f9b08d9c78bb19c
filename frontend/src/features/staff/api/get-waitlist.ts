import { useQuery } from '@tanstack/react-query'
import { api, call } from '../../../shared/api/client'

export const waitlistKey = (unitId: string | null) => ['units', unitId, 'waitlist'] as const

export const getWaitlist = (unitId: string) => call(api.GET('/api/v1/units/{unit_id}/waitlist', { params: { path: { unit_id: unitId } } }))

/** Rule 15: how many wait for an earlier time per type and practitioner (no patient data). */
export const useWaitlist = (unitId: string | null) =>
  useQuery({ queryKey: waitlistKey(unitId), queryFn: () => getWaitlist(unitId ?? ''), enabled: unitId !== null })

import { useQuery } from '@tanstack/react-query'
import { api, call } from '../../../shared/api/client'

export const getPractitioners = (unitId: string) =>
  call(api.GET('/api/v1/units/{unit_id}/practitioners', { params: { path: { unit_id: unitId } } }))

export const usePractitioners = (unitId: string | null) =>
  useQuery({ queryKey: ['units', unitId, 'practitioners'], queryFn: () => getPractitioners(unitId ?? ''), enabled: unitId !== null })

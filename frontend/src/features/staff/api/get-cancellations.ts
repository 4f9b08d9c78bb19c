import { useQuery } from '@tanstack/react-query'
import { api, call } from '../../../shared/api/client'

export const getCancellations = (unitId: string, since: string) =>
  call(api.GET('/api/v1/units/{unit_id}/cancellations', { params: { path: { unit_id: unitId }, query: { since } } }))

export const useCancellations = (unitId: string | null, since: string) =>
  useQuery({ queryKey: ['units', unitId, 'cancellations', since], queryFn: () => getCancellations(unitId ?? '', since), enabled: unitId !== null })

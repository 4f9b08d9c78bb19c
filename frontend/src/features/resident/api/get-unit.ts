import { useQuery } from '@tanstack/react-query'
import { api, call } from '../../../shared/api/client'

export const getUnit = (unitId: string) => call(api.GET('/api/v1/units/{unit_id}', { params: { path: { unit_id: unitId } } }))

export const useUnit = (unitId: string) => useQuery({ queryKey: ['units', unitId], queryFn: () => getUnit(unitId) })

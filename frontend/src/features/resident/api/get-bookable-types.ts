import { useQuery } from '@tanstack/react-query'
import { api, call } from '../../../shared/api/client'

export const getBookableTypes = (unitId: string) =>
  call(api.GET('/api/v1/units/{unit_id}/appointment-types', { params: { path: { unit_id: unitId } } }))

export const useBookableTypes = (unitId: string, enabled: boolean) =>
  useQuery({ queryKey: ['units', unitId, 'types'], queryFn: () => getBookableTypes(unitId), enabled })

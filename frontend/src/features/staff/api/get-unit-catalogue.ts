import { useQuery } from '@tanstack/react-query'
import { api, call } from '../../../shared/api/client'

export const getUnitCatalogue = (unitId: string) =>
  call(api.GET('/api/v1/units/{unit_id}/catalogue', { params: { path: { unit_id: unitId } } }))

export const useUnitCatalogue = (unitId: string | null) =>
  useQuery({ queryKey: ['units', unitId, 'catalogue'], queryFn: () => getUnitCatalogue(unitId ?? ''), enabled: unitId !== null })

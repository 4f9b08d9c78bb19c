import { useQuery } from '@tanstack/react-query'
import { api, call } from '../../../shared/api/client'

export const getAvailableDates = (unitId: string, typeId: string) =>
  call(
    api.GET('/api/v1/units/{unit_id}/appointment-types/{type_id}/available-dates', {
      params: { path: { unit_id: unitId, type_id: typeId } },
    }),
  )

export const useAvailableDates = (unitId: string, typeId: string | null) =>
  useQuery({
    queryKey: ['units', unitId, 'types', typeId, 'dates'],
    queryFn: () => getAvailableDates(unitId, typeId ?? ''),
    enabled: typeId !== null,
  })

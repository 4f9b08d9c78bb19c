import { useQuery } from '@tanstack/react-query'
import { api, call } from '../../../shared/api/client'

export const getFreeSlots = (unitId: string, typeId: string, date: string) =>
  call(
    api.GET('/api/v1/units/{unit_id}/appointment-types/{type_id}/slots', {
      params: { path: { unit_id: unitId, type_id: typeId }, query: { date } },
    }),
  )

export const useFreeSlots = (unitId: string, typeId: string | null, date: string | null) =>
  useQuery({
    queryKey: ['units', unitId, 'types', typeId, 'slots', date],
    queryFn: () => getFreeSlots(unitId, typeId ?? '', date ?? ''),
    enabled: typeId !== null && date !== null,
  })

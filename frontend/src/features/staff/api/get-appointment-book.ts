import { useQuery } from '@tanstack/react-query'
import { api, call } from '../../../shared/api/client'

export const bookKey = (unitId: string | null) => ['units', unitId, 'book'] as const

export const getBook = (unitId: string, from: string, to: string, practitionerId: string | null) =>
  call(
    api.GET('/api/v1/units/{unit_id}/book', {
      params: { path: { unit_id: unitId }, query: { from, to, ...(practitionerId ? { practitioner_id: practitionerId } : {}) } },
    }),
  )

export const useAppointmentBook = (unitId: string | null, from: string, to: string, practitionerId: string | null) =>
  useQuery({
    queryKey: [...bookKey(unitId), from, to, practitionerId],
    queryFn: () => getBook(unitId ?? '', from, to, practitionerId),
    enabled: unitId !== null,
  })

import { useMutation, useQueryClient } from '@tanstack/react-query'
import { api, call, type Schemas } from '../../../shared/api/client'

export const staffBook = (unitId: string, body: Schemas['StaffBookRequest']) =>
  call(api.POST('/api/v1/units/{unit_id}/bookings', { params: { path: { unit_id: unitId } }, body }))

export const useStaffBook = () => {
  const client = useQueryClient()
  return useMutation({
    mutationFn: ({ unitId, body }: { unitId: string; body: Schemas['StaffBookRequest'] }) => staffBook(unitId, body),
    onSuccess: () => client.invalidateQueries({ queryKey: ['units'] }),
  })
}

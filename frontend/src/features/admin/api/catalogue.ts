// The region's catalogue and settings (regional admins).
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query'
import { api, call, type Schemas } from '../../../shared/api/client'

type TypeRequest = Schemas['AppointmentTypeRequest']

export const getCatalogue = () => call(api.GET('/api/v1/appointment-types'))
export const createType = (body: TypeRequest) => call(api.POST('/api/v1/appointment-types', { body }))
export const updateType = (id: string, body: TypeRequest) =>
  call(api.PUT('/api/v1/appointment-types/{type_id}', { params: { path: { type_id: id } }, body }))
export const getRegion = () => call(api.GET('/api/v1/region'))
export const updateRegion = (notify: boolean) => call(api.PUT('/api/v1/region', { body: { notify_on_staff_cancel: notify } }))

export const useCatalogue = () => useQuery({ queryKey: ['catalogue'], queryFn: getCatalogue })
export const useRegion = () => useQuery({ queryKey: ['region'], queryFn: getRegion })

export const useSaveType = () => {
  const client = useQueryClient()
  return useMutation({
    mutationFn: ({ id, body }: { id: string | null; body: TypeRequest }) => (id ? updateType(id, body) : createType(body)),
    onSuccess: () => client.invalidateQueries({ queryKey: ['catalogue'] }),
  })
}

export const useUpdateRegion = () => {
  const client = useQueryClient()
  return useMutation({ mutationFn: updateRegion, onSuccess: (region) => client.setQueryData(['region'], region) })
}

// Scheduling endpoints: the template, publishing and one-day changes.
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query'
import { api, call, type Schemas } from '../../../shared/api/client'

const practitioner = (id: string) => ({ params: { path: { practitioner_id: id } } })
const day = (id: string, date: string) => ({ params: { path: { practitioner_id: id, date } } })

export const getTemplate = (id: string) => call(api.GET('/api/v1/practitioners/{practitioner_id}/template', practitioner(id)))
export const putTemplate = (id: string, blocks: Schemas['BlockRequest'][]) =>
  call(api.PUT('/api/v1/practitioners/{practitioner_id}/template', { ...practitioner(id), body: { blocks } }))
/** Publishes the template over `from`..`to`; a dry run only reports what it would do. */
export const publish = (id: string, from: string, to: string, dryRun = false) =>
  call(api.POST('/api/v1/practitioners/{practitioner_id}/publish', { ...practitioner(id), body: { from, to, dry_run: dryRun } }))
export const changeDay = (id: string, date: string, blocks: Schemas['BlockRequest'][]) =>
  call(api.PUT('/api/v1/practitioners/{practitioner_id}/days/{date}', { ...day(id, date), body: { blocks } }))
export const emptyDay = (id: string, date: string) => call(api.POST('/api/v1/practitioners/{practitioner_id}/days/{date}/empty', day(id, date)))
export const restoreDay = (id: string, date: string) => call(api.DELETE('/api/v1/practitioners/{practitioner_id}/days/{date}', day(id, date)))
export const getHorizon = (unitId: string) => call(api.GET('/api/v1/units/{unit_id}/horizon', { params: { path: { unit_id: unitId } } }))
export const getRegionHorizon = (regionId: string) =>
  call(api.GET('/api/v1/regions/{region_id}/horizon', { params: { path: { region_id: regionId } } }))

export const useTemplate = (id: string | null) =>
  useQuery({ queryKey: ['practitioners', id, 'template'], queryFn: () => getTemplate(id ?? ''), enabled: id !== null })

export const useHorizon = (unitId: string | null) =>
  useQuery({ queryKey: ['units', unitId, 'horizon'], queryFn: () => getHorizon(unitId ?? ''), enabled: unitId !== null })

export const useRegionHorizon = (regionId: string | null) =>
  useQuery({ queryKey: ['regions', regionId, 'horizon'], queryFn: () => getRegionHorizon(regionId ?? ''), enabled: regionId !== null })

export function useScheduleChange<A>(change: (args: A) => Promise<Schemas['PublishResponse'] | Schemas['TemplateResponse']>) {
  const client = useQueryClient()
  return useMutation({
    mutationFn: change,
    onSuccess: () => {
      void client.invalidateQueries({ queryKey: ['practitioners'] })
      void client.invalidateQueries({ queryKey: ['units'] })
    },
  })
}

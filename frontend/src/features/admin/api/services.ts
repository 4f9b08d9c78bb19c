// A unit's online services: set-up (regional admins); terms, activation and
// the restricted selection (unit admins).
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query'
import { api, call, putCsv, type Schemas } from '../../../shared/api/client'

export type ServiceName = 'book_online' | 'cancel_rebook_online'
const path = (unit: string, service: ServiceName) => ({ params: { path: { unit_id: unit, service } } })

export const getServices = (unit: string) => call(api.GET('/api/v1/units/{unit_id}/services', { params: { path: { unit_id: unit } } }))
export const setUpService = (unit: string, service: ServiceName) => call(api.PUT('/api/v1/units/{unit_id}/services/{service}', path(unit, service)))
export const updateTerms = (unit: string, service: ServiceName, terms_markdown: string) =>
  call(api.PUT('/api/v1/units/{unit_id}/services/{service}/terms', { ...path(unit, service), body: { terms_markdown } }))
export const setActivation = (unit: string, service: ServiceName, body: Schemas['ActivationRequest']) =>
  call(api.PUT('/api/v1/units/{unit_id}/services/{service}/activation', { ...path(unit, service), body }))
export const previewTerms = (terms_markdown: string) => call(api.POST('/api/v1/terms/preview', { body: { terms_markdown } }))

export const importSelection = (unit: string, service: ServiceName, csv: string) =>
  putCsv<Schemas['SelectionResponse']>(`/api/v1/units/${unit}/services/${service}/selection`, csv)

export const servicesKey = (unit: string | null) => ['units', unit, 'services'] as const

export const useServices = (unit: string | null) =>
  useQuery({ queryKey: servicesKey(unit), queryFn: () => getServices(unit ?? ''), enabled: unit !== null })

export function useServiceChange<A, R>(unit: string, change: (args: A) => Promise<R>) {
  const client = useQueryClient()
  return useMutation({ mutationFn: change, onSuccess: () => client.invalidateQueries({ queryKey: servicesKey(unit) }) })
}

// Rule 17: the age limit for guardians and the population-register table
// (regional admins).
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query'
import { api, call, ProblemError, type Schemas } from '../../../shared/api/client'
import { getToken } from '../../../shared/auth/token'

const limitKey = ['region', 'guardian-age-limit'] as const
const registerKey = ['region', 'population-register'] as const

export const useGuardianAgeLimit = () =>
  useQuery({ queryKey: limitKey, queryFn: () => call(api.GET('/api/v1/region/guardian-age-limit')) })

export const usePutGuardianAgeLimit = () => {
  const client = useQueryClient()
  return useMutation({
    mutationFn: (years: number) => call(api.PUT('/api/v1/region/guardian-age-limit', { body: { years } })),
    onSuccess: (saved) => client.setQueryData(limitKey, saved),
  })
}

export const usePopulationRegister = () =>
  useQuery({ queryKey: registerKey, queryFn: () => call(api.GET('/api/v1/region/population-register')) })

/** The CSV goes as text/csv, which openapi-fetch would send as JSON. */
async function importRegister(csv: string): Promise<Schemas['RegisterSummaryResponse']> {
  const response = await fetch('/api/v1/region/population-register', {
    method: 'PUT',
    headers: { 'Content-Type': 'text/csv', Authorization: `Bearer ${getToken() ?? ''}` },
    body: csv,
  })
  const body: unknown = await response.json()
  if (!response.ok) throw new ProblemError(response.status, body as Schemas['Problem'] & Record<string, unknown>)
  return body as Schemas['RegisterSummaryResponse']
}

export const useImportRegister = () => {
  const client = useQueryClient()
  return useMutation({ mutationFn: importRegister, onSuccess: (saved) => client.setQueryData(registerKey, saved) })
}

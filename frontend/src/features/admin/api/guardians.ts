// Rule 17: the age limit for guardians and the population-register table
// (regional admins).
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query'
import { api, call, putCsv, type Schemas } from '../../../shared/api/client'

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

const importRegister = (csv: string) => putCsv<Schemas['RegisterSummaryResponse']>('/api/v1/region/population-register', csv)

export const useImportRegister = () => {
  const client = useQueryClient()
  return useMutation({ mutationFn: importRegister, onSuccess: (saved) => client.setQueryData(registerKey, saved) })
}

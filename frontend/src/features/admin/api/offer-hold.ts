// Rule 16: how long an offer of an earlier time holds its slot (regional admins).
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query'
import { api, call } from '../../../shared/api/client'

const key = ['region', 'offer-hold'] as const

export const useOfferHold = () => useQuery({ queryKey: key, queryFn: () => call(api.GET('/api/v1/region/offer-hold')) })

export const usePutOfferHold = () => {
  const client = useQueryClient()
  return useMutation({
    mutationFn: (minutes: number) => call(api.PUT('/api/v1/region/offer-hold', { body: { minutes } })),
    onSuccess: (saved) => client.setQueryData(key, saved),
  })
}

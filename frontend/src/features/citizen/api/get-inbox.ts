import { useQuery } from '@tanstack/react-query'
import { api, call } from '../../../shared/api/client'

export const inboxKey = ['me', 'inbox'] as const

export const getInbox = () => call(api.GET('/api/v1/me/inbox'))

export const useInbox = () => useQuery({ queryKey: inboxKey, queryFn: getInbox })

import { useQuery } from '@tanstack/react-query'
import { api, call } from '../../../shared/api/client'

export const getMyAccessLog = () => call(api.GET('/api/v1/me/access-log'))

export const useMyAccessLog = () => useQuery({ queryKey: ['me', 'access-log'], queryFn: getMyAccessLog })

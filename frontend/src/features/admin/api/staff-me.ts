import { useQuery } from '@tanstack/react-query'
import { api, call } from '../../../shared/api/client'

export const useMe = () => useQuery({ queryKey: ['staff', 'me'], queryFn: () => call(api.GET('/api/v1/staff/me')) })

import { useQuery } from '@tanstack/react-query'
import { api, call } from '../../../shared/api/client'

export const getStaffMe = () => call(api.GET('/api/v1/staff/me'))

export const useStaffMe = () => useQuery({ queryKey: ['staff', 'me'], queryFn: getStaffMe })

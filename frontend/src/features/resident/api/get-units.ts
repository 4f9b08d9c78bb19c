import { useQuery } from '@tanstack/react-query'
import { api, call } from '../../../shared/api/client'

export const getUnits = () => call(api.GET('/api/v1/units'))

export const useUnits = () => useQuery({ queryKey: ['units'], queryFn: getUnits })

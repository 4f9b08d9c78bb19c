import { useQuery } from '@tanstack/react-query'
import { api, call } from '../../../shared/api/client'

/** The region's settings; staff read whether their changes notify residents (rule 10). */
export const getRegion = () => call(api.GET('/api/v1/region'))

export const useRegion = () => useQuery({ queryKey: ['region'], queryFn: getRegion, retry: false })

// Who is signed in on the staff side (GET /staff/me): role, units, region and
// own practitioner — read by the desk and the admin pages alike.
import { useQuery } from '@tanstack/react-query'
import { api, call } from '../api/client'

export const useStaffMe = () => useQuery({ queryKey: ['staff', 'me'], queryFn: () => call(api.GET('/api/v1/staff/me')) })

import { useQuery } from '@tanstack/react-query'
import { api, call } from '../../../shared/api/client'

export const myBookingsKey = ['me', 'bookings'] as const

export const getMyBookings = () => call(api.GET('/api/v1/me/bookings'))

export const useMyBookings = () => useQuery({ queryKey: myBookingsKey, queryFn: getMyBookings })

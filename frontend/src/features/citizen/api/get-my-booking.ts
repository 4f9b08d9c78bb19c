import { useQuery } from '@tanstack/react-query'
import { api, call } from '../../../shared/api/client'

export const getMyBooking = (bookingId: string) =>
  call(api.GET('/api/v1/me/bookings/{booking_id}', { params: { path: { booking_id: bookingId } } }))

export const useMyBooking = (bookingId: string) =>
  useQuery({ queryKey: ['me', 'bookings', bookingId], queryFn: () => getMyBooking(bookingId) })

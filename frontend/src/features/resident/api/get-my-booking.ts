import { useQuery } from '@tanstack/react-query'
import { api, call } from '../../../shared/api/client'

export const getMyBooking = (bookingId: string) =>
  call(api.GET('/api/v1/me/bookings/{booking_id}', { params: { path: { booking_id: bookingId } } }))

export const myBookingKey = (bookingId: string) => ['me', 'bookings', bookingId] as const

export const useMyBooking = (bookingId: string, enabled = true) =>
  useQuery({ queryKey: myBookingKey(bookingId), queryFn: () => getMyBooking(bookingId), enabled: enabled && bookingId !== '' })

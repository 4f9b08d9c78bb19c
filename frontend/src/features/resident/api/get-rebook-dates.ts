import { useQuery } from '@tanstack/react-query'
import { api, call } from '../../../shared/api/client'

/** The dates a booking can be moved to, with the number of targets on each:
 * the same shape as a type's available dates, for the same calendar. */
export const getRebookDates = (bookingId: string) =>
  call(api.GET('/api/v1/me/bookings/{booking_id}/rebook-dates', { params: { path: { booking_id: bookingId } } }))

export const useRebookDates = (bookingId: string, enabled: boolean) =>
  useQuery({ queryKey: ['me', 'bookings', bookingId, 'rebook-dates'], queryFn: () => getRebookDates(bookingId), enabled })

import { useMutation, useQueryClient } from '@tanstack/react-query'
import { api, call } from '../../../shared/api/client'
import { inboxKey } from './get-inbox'
import { myBookingsKey } from './get-my-bookings'

export const cancelBooking = (bookingId: string, reason: string) =>
  call(api.POST('/api/v1/me/bookings/{booking_id}/cancel', { params: { path: { booking_id: bookingId } }, body: { reason } }))

export const useCancelBooking = () => {
  const client = useQueryClient()
  return useMutation({
    mutationFn: ({ bookingId, reason }: { bookingId: string; reason: string }) => cancelBooking(bookingId, reason),
    onSuccess: () => {
      void client.invalidateQueries({ queryKey: inboxKey })
      return client.invalidateQueries({ queryKey: myBookingsKey })
    },
  })
}

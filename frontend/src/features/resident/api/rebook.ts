import { useMutation, useQueryClient } from '@tanstack/react-query'
import { api, call } from '../../../shared/api/client'
import { inboxKey } from './get-inbox'
import { myBookingKey } from './get-my-booking'
import { myBookingsKey } from './get-my-bookings'

export const rebook = (bookingId: string, slotId: string, idempotencyKey: string) =>
  call(
    api.POST('/api/v1/me/bookings/{booking_id}/rebook', {
      params: { path: { booking_id: bookingId }, header: { 'Idempotency-Key': idempotencyKey } },
      body: { slot_id: slotId },
    }),
  )

export const useRebook = () => {
  const client = useQueryClient()
  return useMutation({
    mutationFn: ({ bookingId, slotId, key }: { bookingId: string; slotId: string; key: string }) => rebook(bookingId, slotId, key),
    // The new booking is known at once (the result shows it); the rest is
    // refetched in the background, not awaited, so the result is not held
    // back by it. The old booking's targets are gone with it: not refetched.
    onSuccess: (moved, { bookingId }) => {
      client.setQueryData(myBookingKey(moved.id), moved)
      client.removeQueries({ queryKey: [...myBookingKey(bookingId), 'rebook-dates'] })
      client.removeQueries({ queryKey: [...myBookingKey(bookingId), 'rebook-targets'] })
      void client.invalidateQueries({ queryKey: inboxKey })
      void client.invalidateQueries({
        queryKey: myBookingsKey,
        predicate: ({ queryKey }) => !(queryKey[2] === bookingId && (queryKey[3] === 'rebook-dates' || queryKey[3] === 'rebook-targets')),
      })
    },
  })
}

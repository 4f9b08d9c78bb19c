import { useMutation, useQueryClient } from '@tanstack/react-query'
import { api, call } from '../../../shared/api/client'
import { inboxKey } from './get-inbox'
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
    onSuccess: () => {
      void client.invalidateQueries({ queryKey: inboxKey })
      return client.invalidateQueries({ queryKey: myBookingsKey })
    },
  })
}

import { useMutation, useQueryClient } from '@tanstack/react-query'
import { api, call, type Schemas } from '../../../shared/api/client'
import { inboxKey } from './get-inbox'
import { myBookingKey } from './get-my-booking'
import { myBookingsKey } from './get-my-bookings'

/** Books with an idempotency key, so a retry after a lost answer cannot book twice. */
export const book = (body: Schemas['BookRequest'], idempotencyKey: string) =>
  call(api.POST('/api/v1/me/bookings', { body, params: { header: { 'Idempotency-Key': idempotencyKey } } }))

export const useBookSlot = () => {
  const client = useQueryClient()
  return useMutation({
    mutationFn: ({ body, key }: { body: Schemas['BookRequest']; key: string }) => book(body, key),
    onSuccess: (booking) => {
      // The confirmation page reads it by id; it need not ask again.
      client.setQueryData(myBookingKey(booking.id), booking)
      // The confirmation also lands in the inbox (its unread count in the menu).
      void client.invalidateQueries({ queryKey: inboxKey })
      return client.invalidateQueries({ queryKey: myBookingsKey, exact: true })
    },
  })
}

import { useQuery } from '@tanstack/react-query'
import { api, call } from '../../../shared/api/client'

/** The slots one date offers a booking to move to (rule 5: same type,
 * length, practitioner and unit). One date at a time, as the calendar asks. */
export const getRebookTargets = (bookingId: string, date: string) =>
  call(
    api.GET('/api/v1/me/bookings/{booking_id}/rebook-targets', {
      params: { path: { booking_id: bookingId }, query: { from: date, to: date } },
    }),
  )

export const useRebookTargets = (bookingId: string, date: string | null) =>
  useQuery({
    queryKey: ['me', 'bookings', bookingId, 'rebook-targets', date],
    queryFn: () => getRebookTargets(bookingId, date ?? ''),
    enabled: date !== null,
  })

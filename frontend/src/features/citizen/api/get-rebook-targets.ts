import { useQuery } from '@tanstack/react-query'
import { api, call } from '../../../shared/api/client'

export const getRebookTargets = (bookingId: string) =>
  call(api.GET('/api/v1/me/bookings/{booking_id}/rebook-targets', { params: { path: { booking_id: bookingId } } }))

export const useRebookTargets = (bookingId: string) =>
  useQuery({ queryKey: ['me', 'bookings', bookingId, 'targets'], queryFn: () => getRebookTargets(bookingId) })

// The staff's actions on one booking; each is one endpoint.
import { useMutation, useQueryClient } from '@tanstack/react-query'
import { api, call } from '../../../shared/api/client'
import { getToken } from '../../../shared/auth/token'

const path = (id: string) => ({ params: { path: { booking_id: id } } })

export const markArrived = (id: string) => call(api.POST('/api/v1/bookings/{booking_id}/arrived', path(id)))
export const markEnteredInError = (id: string) => call(api.POST('/api/v1/bookings/{booking_id}/entered-in-error', path(id)))
export const staffCancel = (id: string, reason: string) =>
  call(api.POST('/api/v1/bookings/{booking_id}/cancel', { ...path(id), body: { reason } }))
export const staffRebook = (id: string, slotId: string) =>
  call(api.POST('/api/v1/bookings/{booking_id}/rebook', { ...path(id), body: { slot_id: slotId } }))
export const setHidden = (id: string, hidden: boolean) =>
  call(api.PUT('/api/v1/bookings/{booking_id}/hidden-in-portal', { ...path(id), body: { hidden_in_portal: hidden } }))

/** The summons is HTML behind the bearer token: fetched, then opened for printing. */
export async function openSummons(id: string): Promise<void> {
  const response = await fetch(`/api/v1/bookings/${id}/summons`, { headers: { Authorization: `Bearer ${getToken() ?? ''}` } })
  if (!response.ok) throw new Error(`summons ${response.status}`)
  const url = URL.createObjectURL(new Blob([await response.text()], { type: 'text/html' }))
  window.open(url, '_blank', 'noopener')
}

export function useBookingAction<A>(action: (args: A) => Promise<unknown>) {
  const client = useQueryClient()
  return useMutation({ mutationFn: action, onSuccess: () => client.invalidateQueries({ queryKey: ['units'] }) })
}

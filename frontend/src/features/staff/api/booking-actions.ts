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

/**
 * The summons is HTML behind the bearer token: fetched, opened in a new window
 * and handed to the print dialog there. The page has no print button of its
 * own (that would be inline script, which the Content-Security-Policy
 * forbids), so the window is opened without `noopener` — it is our own
 * same-origin blob — and printed from here once loaded. Cancelling the print
 * leaves the summons open to read or print later.
 */
export async function openSummons(id: string): Promise<void> {
  const response = await fetch(`/api/v1/bookings/${id}/summons`, { headers: { Authorization: `Bearer ${getToken() ?? ''}` } })
  if (!response.ok) throw new Error(`summons ${response.status}`)
  const url = URL.createObjectURL(new Blob([await response.text()], { type: 'text/html' }))
  const summons = window.open(url, '_blank')
  if (!summons) {
    URL.revokeObjectURL(url)
    throw new Error('summons window blocked')
  }
  printWhenLoaded(summons, url)
}

function printWhenLoaded(summons: Window, url: string) {
  let printed = false
  const print = () => {
    if (printed) return
    printed = true
    summons.focus()
    summons.print()
    // The document is parsed; the window keeps it without the blob.
    URL.revokeObjectURL(url)
  }
  const loaded = () => summons.location.href === url && summons.document.readyState === 'complete'
  // The new window starts on about:blank; wait for the summons itself.
  summons.addEventListener('load', () => {
    if (loaded()) print()
  })
  const poll = window.setInterval(() => {
    if (summons.closed || printed) window.clearInterval(poll)
    else if (loaded()) {
      window.clearInterval(poll)
      print()
    }
  }, 100)
  window.setTimeout(() => window.clearInterval(poll), 30_000)
}

export function useBookingAction<A>(action: (args: A) => Promise<unknown>) {
  const client = useQueryClient()
  return useMutation({ mutationFn: action, onSuccess: () => client.invalidateQueries({ queryKey: ['units'] }) })
}

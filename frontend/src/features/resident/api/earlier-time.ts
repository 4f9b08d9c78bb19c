// Rules 15–16: the resident's wishes for an earlier time, and the offers
// made to them (a slot held until `expires_at`), accepted or declined here.
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query'
import { api, call, type Schemas } from '../../../shared/api/client'
import { inboxKey } from './get-inbox'
import { myBookingsKey } from './get-my-bookings'

export const earlierTimesKey = ['me', 'earlier-times'] as const
export const offersKey = ['me', 'offers'] as const

export const getEarlierTimes = () => call(api.GET('/api/v1/me/earlier-times'))
export const getOffers = () => call(api.GET('/api/v1/me/offers'))

export const useEarlierTimes = () => useQuery({ queryKey: earlierTimesKey, queryFn: getEarlierTimes })

/** Open offers, looked for again every half minute while the page is open. */
export const useOffers = () => useQuery({ queryKey: offersKey, queryFn: getOffers, refetchInterval: 30_000 })

const path = (bookingId: string) => ({ params: { path: { booking_id: bookingId } } })

function useRefreshing<T>(mutationFn: (vars: T) => Promise<unknown>) {
  const client = useQueryClient()
  return useMutation({
    mutationFn,
    onSettled: () =>
      Promise.all([
        client.invalidateQueries({ queryKey: earlierTimesKey }),
        client.invalidateQueries({ queryKey: offersKey }),
        client.invalidateQueries({ queryKey: myBookingsKey }),
        client.invalidateQueries({ queryKey: inboxKey }),
      ]),
  })
}

export const usePutEarlierTime = () =>
  useRefreshing(({ bookingId, wish }: { bookingId: string; wish: Schemas['EarlierTimeRequest'] }) =>
    call(api.PUT('/api/v1/me/bookings/{booking_id}/earlier-time', { ...path(bookingId), body: wish })),
  )

export const useDeleteEarlierTime = () =>
  useRefreshing((bookingId: string) => call(api.DELETE('/api/v1/me/bookings/{booking_id}/earlier-time', path(bookingId))))

export const useAcceptOffer = () =>
  useRefreshing((offerId: string) =>
    call(api.POST('/api/v1/me/offers/{offer_id}/accept', { params: { path: { offer_id: offerId } } })),
  )

export const useDeclineOffer = () =>
  useRefreshing((offerId: string) =>
    call(api.POST('/api/v1/me/offers/{offer_id}/decline', { params: { path: { offer_id: offerId } } })),
  )

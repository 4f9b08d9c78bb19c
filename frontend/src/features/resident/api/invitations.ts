// Rule 19: the resident's invitations to book, the dates and times one
// covers, and booking with it (which uses it up).
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query'
import { api, call, type Schemas } from '../../../shared/api/client'
import { inboxKey } from './get-inbox'
import { myBookingsKey } from './get-my-bookings'

export const invitationsKey = ['me', 'invitations'] as const

const path = (id: string) => ({ params: { path: { invitation_id: id } } })

export const useInvitations = () => useQuery({ queryKey: invitationsKey, queryFn: () => call(api.GET('/api/v1/me/invitations')) })

export const useInvitation = (id: string) =>
  useQuery({ queryKey: [...invitationsKey, id], queryFn: () => call(api.GET('/api/v1/me/invitations/{invitation_id}', path(id))), retry: false })

export const useInvitationDates = (id: string, enabled: boolean) =>
  useQuery({
    queryKey: [...invitationsKey, id, 'dates'],
    queryFn: () => call(api.GET('/api/v1/me/invitations/{invitation_id}/available-dates', path(id))),
    enabled,
  })

export const useInvitationSlots = (id: string, date: string | null) =>
  useQuery({
    queryKey: [...invitationsKey, id, 'slots', date],
    queryFn: () => call(api.GET('/api/v1/me/invitations/{invitation_id}/slots', { params: { path: { invitation_id: id }, query: { date: date ?? '' } } })),
    enabled: date !== null,
  })

export const useBookInvited = (id: string) => {
  const client = useQueryClient()
  return useMutation({
    mutationFn: (body: Schemas['BookRequest']) => call(api.POST('/api/v1/me/invitations/{invitation_id}/bookings', { ...path(id), body })),
    onSettled: () =>
      Promise.all([
        client.invalidateQueries({ queryKey: invitationsKey }),
        client.invalidateQueries({ queryKey: myBookingsKey }),
        client.invalidateQueries({ queryKey: inboxKey }),
      ]),
  })
}

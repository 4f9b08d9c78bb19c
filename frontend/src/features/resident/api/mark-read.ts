import { useMutation, useQueryClient } from '@tanstack/react-query'
import { api, call } from '../../../shared/api/client'
import { inboxKey } from './get-inbox'

export const markRead = (messageId: string) =>
  call(api.POST('/api/v1/me/inbox/{message_id}/read', { params: { path: { message_id: messageId } } }))

export const useMarkRead = () => {
  const client = useQueryClient()
  return useMutation({ mutationFn: markRead, onSuccess: () => client.invalidateQueries({ queryKey: inboxKey }) })
}

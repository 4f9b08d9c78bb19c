import { useQuery } from '@tanstack/react-query'
import { api, call } from '../../../shared/api/client'

export const inboxKey = ['me', 'inbox'] as const

export const getInbox = () => call(api.GET('/api/v1/me/inbox'))

export const useInbox = (enabled = true) => useQuery({ queryKey: inboxKey, queryFn: getInbox, enabled })

/** How many messages are unread: the count on the inbox link of the menu. */
export const useUnreadCount = (enabled: boolean): number => useInbox(enabled).data?.filter((m) => !m.read).length ?? 0

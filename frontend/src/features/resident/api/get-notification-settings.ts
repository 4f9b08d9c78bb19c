import { useQuery } from '@tanstack/react-query'
import { api, call } from '../../../shared/api/client'

export const settingsKey = ['me', 'settings'] as const

export const getNotificationSettings = () => call(api.GET('/api/v1/me/notification-settings'))

export const useNotificationSettings = () => useQuery({ queryKey: settingsKey, queryFn: getNotificationSettings })

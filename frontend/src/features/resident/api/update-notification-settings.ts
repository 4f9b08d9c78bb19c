import { useMutation, useQueryClient } from '@tanstack/react-query'
import { api, call, type Schemas } from '../../../shared/api/client'
import { settingsKey } from './get-notification-settings'

export const updateNotificationSettings = (body: Schemas['NotificationSettings']) =>
  call(api.PUT('/api/v1/me/notification-settings', { body }))

export const useUpdateNotificationSettings = () => {
  const client = useQueryClient()
  return useMutation({
    mutationFn: updateNotificationSettings,
    onSuccess: (saved) => client.setQueryData(settingsKey, saved),
  })
}

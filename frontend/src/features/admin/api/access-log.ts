import { useQuery } from '@tanstack/react-query'
import { api, call } from '../../../shared/api/client'
import type { components } from '../../../shared/api/schema'

export type AccessAction = components['schemas']['AccessActionName']

export const ACCESS_ACTIONS: readonly AccessAction[] = [
  'view_book',
  'view_booking',
  'view_cancellation_feed',
  'print_summons',
  'book',
  'rebook',
  'cancel',
  'mark_arrived',
  'mark_entered_in_error',
  'set_hidden_in_portal',
  'record_after_the_fact',
  'look_up_resident',
  'invite',
  'view_invitations',
]

export interface LogFilter {
  action: AccessAction | ''
  from: string
  to: string
}

export const getUnitLog = (unit: string, f: LogFilter) =>
  call(
    api.GET('/api/v1/units/{unit_id}/access-log', {
      params: {
        path: { unit_id: unit },
        query: {
          ...(f.action ? { action: f.action } : {}),
          ...(f.from ? { from: `${f.from}T00:00:00Z` } : {}),
          ...(f.to ? { to: `${f.to}T23:59:59Z` } : {}),
          // Enough lines to group a busy day into a few rows.
          limit: 1000,
        },
      },
    }),
  )

export const useUnitLog = (unit: string | null, f: LogFilter) =>
  useQuery({ queryKey: ['units', unit, 'access-log', f], queryFn: () => getUnitLog(unit ?? '', f), enabled: unit !== null })

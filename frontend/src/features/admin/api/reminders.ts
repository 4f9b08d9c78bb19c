// Rule 14: the reminders before each visit — the region's list (regional
// admins) and a unit's own list or its region's (unit and regional admins).
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query'
import { api, call, type Schemas } from '../../../shared/api/client'

export type ReminderOffset = Schemas['ReminderOffsetDto']

export const updateRegionReminders = (reminders: ReminderOffset[]) =>
  call(api.PUT('/api/v1/region/reminders', { body: { reminders } }))
export const getUnitReminders = (unitId: string) =>
  call(api.GET('/api/v1/units/{unit_id}/reminder-settings', { params: { path: { unit_id: unitId } } }))
export const putUnitReminders = (unitId: string, body: Schemas['UnitRemindersRequest']) =>
  call(api.PUT('/api/v1/units/{unit_id}/reminder-settings', { params: { path: { unit_id: unitId } }, body }))

const unitKey = (unitId: string | null) => ['unit-reminders', unitId]

export const useUpdateRegionReminders = () => {
  const client = useQueryClient()
  return useMutation({
    mutationFn: updateRegionReminders,
    onSuccess: (region) => {
      client.setQueryData(['region'], region)
      void client.invalidateQueries({ queryKey: ['unit-reminders'] })
    },
  })
}

export const useUnitReminders = (unitId: string | null) =>
  useQuery({ queryKey: unitKey(unitId), queryFn: () => getUnitReminders(unitId ?? ''), enabled: unitId !== null })

export const usePutUnitReminders = (unitId: string) => {
  const client = useQueryClient()
  return useMutation({
    mutationFn: (body: Schemas['UnitRemindersRequest']) => putUnitReminders(unitId, body),
    onSuccess: (saved) => client.setQueryData(unitKey(unitId), saved),
  })
}

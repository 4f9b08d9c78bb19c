// How a unit's templates publish: whether on public holidays too (rule 22).
// Staff and unit admins read it; unit admins change it.
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query'
import { api, call, type Schemas } from '../../../shared/api/client'

const unit = (id: string) => ({ params: { path: { unit_id: id } } })
export const scheduleSettingsKey = (unitId: string | null) => ['units', unitId, 'schedule-settings'] as const

export const getScheduleSettings = (unitId: string) => call(api.GET('/api/v1/units/{unit_id}/schedule-settings', unit(unitId)))
export const putScheduleSettings = (unitId: string, body: Schemas['ScheduleSettings']) =>
  call(api.PUT('/api/v1/units/{unit_id}/schedule-settings', { ...unit(unitId), body }))

export const useScheduleSettings = (unitId: string | null) =>
  useQuery({ queryKey: scheduleSettingsKey(unitId), queryFn: () => getScheduleSettings(unitId ?? ''), enabled: unitId !== null })

export function useUpdateScheduleSettings(unitId: string) {
  const client = useQueryClient()
  return useMutation({
    mutationFn: (body: Schemas['ScheduleSettings']) => putScheduleSettings(unitId, body),
    onSuccess: (saved) => client.setQueryData(scheduleSettingsKey(unitId), saved),
  })
}

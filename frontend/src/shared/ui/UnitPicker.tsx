import { useEffect } from 'react'
import type { Schemas } from '../api/client'
import { useI18n } from '../i18n'
import { SelectField } from './index'

/** The units the caller works in; the first is chosen until another is. */
export function UnitPicker({ me, value, onChange }: { me: Schemas['StaffMeResponse']; value: string | null; onChange: (id: string) => void }) {
  const { t } = useI18n()
  const first = me.units[0]?.id
  useEffect(() => {
    if (value === null && first) onChange(first)
  }, [value, first, onChange])
  if (me.units.length <= 1) return null
  return (
    <SelectField label={t('staff.unit')} value={value ?? ''} onChange={(e) => onChange(e.target.value)}>
      {me.units.map((u) => (
        <option key={u.id} value={u.id}>
          {u.name}
        </option>
      ))}
    </SelectField>
  )
}

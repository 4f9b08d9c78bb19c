import type { Schemas } from '../../../shared/api/client'

/**
 * Whose book to show: the one already chosen while it is still listed, else
 * the signed-in member of staff's own (`preferred`), else the first.
 */
export function choosePractitioner(list: Schemas['PractitionerResponse'][], current: string | null, preferred: string | null): string | null {
  if (current && list.some((p) => p.id === current)) return current
  if (preferred && list.some((p) => p.id === preferred)) return preferred
  return list[0]?.id ?? null
}

// Whom a personal identity number belongs to, before staff book them. Each
// call is written to the unit's access log, so it is made on an explicit
// request (a button, or leaving a complete number), never per keystroke.
import { useMutation } from '@tanstack/react-query'
import { api, call } from '../../../shared/api/client'

export const lookUpResident = (unitId: string, personalIdentityNumber: string) =>
  call(
    api.POST('/api/v1/units/{unit_id}/resident-lookup', {
      params: { path: { unit_id: unitId } },
      body: { personal_identity_number: personalIdentityNumber },
    }),
  )

export const useResidentLookup = () =>
  useMutation({ mutationFn: ({ unitId, pnr }: { unitId: string; pnr: string }) => lookUpResident(unitId, pnr) })

import type { Schemas } from '../../../shared/api/client'
import { useI18n } from '../../../shared/i18n'
import { TableScroll } from '../../../shared/ui'

interface Props {
  counts: Schemas['WaitlistCountResponse'][]
  practitioners: Schemas['PractitionerResponse'][]
  types: { id: string; name: string }[]
}

/** Rule 15: residents waiting for an earlier time, per type and practitioner;
 * how many of them hold an offer right now. */
export function WaitlistPanel({ counts, practitioners, types }: Props) {
  const { t } = useI18n()
  const name = (list: { id: string; name: string }[], id: string) => list.find((x) => x.id === id)?.name ?? '–'
  return (
    <section aria-labelledby="waitlist-heading">
      <h3 id="waitlist-heading">{t('staff.waitlist')}</h3>
      {counts.length === 0 ? (
        <p className="muted">{t('staff.waitlistEmpty')}</p>
      ) : (
        <TableScroll label={t('staff.waitlist')}>
          <table className="data">
            <thead>
              <tr>
                <th scope="col">{t('common.type')}</th>
                <th scope="col">{t('common.practitioner')}</th>
                <th scope="col">{t('staff.waiting')}</th>
                <th scope="col">{t('staff.offered')}</th>
              </tr>
            </thead>
            <tbody>
              {counts.map((c) => (
                <tr key={`${c.appointment_type_id}-${c.practitioner_id}`}>
                  <td>{name(types, c.appointment_type_id)}</td>
                  <td>{name(practitioners, c.practitioner_id)}</td>
                  <td>{c.waiting}</td>
                  <td>{c.offered}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableScroll>
      )}
    </section>
  )
}

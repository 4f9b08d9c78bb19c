// Rows of a template (or a one-day change): type, start, length, count;
// the end is computed as in PMO's "Ändra mall tillfälligt".
import type { Schemas } from '../../../shared/api/client'
import { useI18n, type TextKey } from '../../../shared/i18n'
import { Button, TableScroll } from '../../../shared/ui'

export type Block = Schemas['BlockRequest']
export const WEEKDAYS = ['monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday'] as const

export function endOf(block: Block): string {
  const [h, m] = block.start.split(':').map(Number)
  const end = (h ?? 0) * 60 + (m ?? 0) + block.slot_length_minutes * block.count
  return `${String(Math.floor(end / 60) % 24).padStart(2, '0')}:${String(end % 60).padStart(2, '0')}`
}

interface Props {
  blocks: Block[]
  onChange: (blocks: Block[]) => void
  types: Schemas['CatalogueTypeResponse'][]
  withWeekday: boolean
  /** Rows to mark as wrong (0-based). */
  badRows?: number[]
  caption: string
}

export function BlocksEditor({ blocks, onChange, types, withWeekday, badRows = [], caption }: Props) {
  const { t } = useI18n()
  const set = (i: number, patch: Partial<Block>) => onChange(blocks.map((b, j) => (j === i ? { ...b, ...patch } : b)))
  return (
    <TableScroll label={caption}>
      <table className="data editor">
        <caption className="visually-hidden">{caption}</caption>
        <thead>
          <tr>
            <th scope="col">#</th>
            {withWeekday && <th scope="col">{t('schedule.weekday')}</th>}
            <th scope="col">{t('common.type')}</th>
            <th scope="col">{t('schedule.start')}</th>
            <th scope="col">{t('schedule.length')}</th>
            <th scope="col">{t('schedule.count')}</th>
            <th scope="col">{t('schedule.end')}</th>
            <th scope="col">
              <span className="visually-hidden">{t('common.actions')}</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {blocks.map((b, i) => (
            <tr key={i} className={badRows.includes(i) ? 'row--error' : undefined}>
              <td>{i + 1}</td>
              {withWeekday && (
                <td>
                  <select aria-label={`${t('schedule.weekday')} ${i + 1}`} value={b.weekday ?? 'monday'} onChange={(e) => set(i, { weekday: e.target.value as Block['weekday'] })}>
                    {WEEKDAYS.map((d) => (
                      <option key={d} value={d}>
                        {t(`weekday.${d}` as TextKey)}
                      </option>
                    ))}
                  </select>
                </td>
              )}
              <td>
                <select aria-label={`${t('common.type')} ${i + 1}`} value={b.appointment_type_id} onChange={(e) => set(i, { appointment_type_id: e.target.value })}>
                  {types.map((x) => (
                    <option key={x.id} value={x.id}>
                      {x.name}
                    </option>
                  ))}
                </select>
              </td>
              <td>
                <input aria-label={`${t('schedule.start')} ${i + 1}`} type="time" value={b.start} onChange={(e) => set(i, { start: e.target.value })} />
              </td>
              <td>
                <input aria-label={`${t('schedule.length')} ${i + 1}`} type="number" min={5} max={480} value={b.slot_length_minutes} onChange={(e) => set(i, { slot_length_minutes: Number(e.target.value) })} />
              </td>
              <td>
                <input aria-label={`${t('schedule.count')} ${i + 1}`} type="number" min={1} max={96} value={b.count} onChange={(e) => set(i, { count: Number(e.target.value) })} />
              </td>
              <td>
                <output aria-label={`${t('schedule.end')} ${i + 1}`}>{endOf(b)}</output>
              </td>
              <td>
                <Button variant="secondary" onClick={() => onChange(blocks.filter((_, j) => j !== i))} aria-label={`${t('common.remove')} ${i + 1}`}>
                  {t('common.remove')}
                </Button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <Button
        variant="secondary"
        disabled={types.length === 0}
        onClick={() =>
          onChange([
            ...blocks,
            { weekday: withWeekday ? 'monday' : null, appointment_type_id: types[0]?.id ?? '', start: '08:00', slot_length_minutes: types[0]?.default_length_minutes ?? 15, count: 1 },
          ])
        }
      >
        {t('schedule.addBlock')}
      </Button>
    </TableScroll>
  )
}

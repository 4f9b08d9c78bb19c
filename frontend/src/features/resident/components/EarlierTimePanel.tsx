// Rule 15 on a booking's card: "I'd take an earlier time". Without a wish, a
// button opens a short form (which weekdays, not before what time); with
// one, the card says what the resident waits for, with a change and a
// "stop waiting" that asks first (the place in the queue is lost).
import { useEffect, useId, useRef, useState } from 'react'
import type { Schemas } from '../../../shared/api/client'
import { useI18n, type TextKey } from '../../../shared/i18n'
import { Button, Checkbox, ErrorNotice, SelectField } from '../../../shared/ui'
import { ConfirmDialog } from '../../../shared/ui/ConfirmDialog'
import { useDeleteEarlierTime, usePutEarlierTime } from '../api/earlier-time'

type Wish = Schemas['EarlierTimeResponse']

export const WEEKDAYS: TextKey[] = [
  'weekday.monday',
  'weekday.tuesday',
  'weekday.wednesday',
  'weekday.thursday',
  'weekday.friday',
  'weekday.saturday',
  'weekday.sunday',
]

/** Half hours from 07:00 to 18:00, the choices of "not before". */
const TIMES = Array.from({ length: 23 }, (_, i) => `${String(7 + Math.floor(i / 2)).padStart(2, '0')}:${i % 2 ? '30' : '00'}`)

/** "måndag, tisdag och fredag, från kl. 09:00" — or "alla dagar". */
export function describeWish(wish: Pick<Wish, 'weekdays' | 'not_before'>, t: (key: TextKey, vars?: Record<string, string | number>) => string): string {
  const named = WEEKDAYS.filter((_, i) => wish.weekdays.includes(i + 1)).map((key) => t(key))
  const days = named.length === 7 ? t('earlier.anyDay') : named.join(', ')
  return wish.not_before ? t('earlier.fromTime', { days, time: wish.not_before }) : days
}

export function EarlierTimePanel({ bookingId, wish }: { bookingId: string; wish: Wish | undefined }) {
  const { t } = useI18n()
  const [editing, setEditing] = useState(false)
  const [stopping, setStopping] = useState(false)
  const withdraw = useDeleteEarlierTime()
  if (editing) {
    return <WishForm bookingId={bookingId} wish={wish} onDone={() => setEditing(false)} />
  }
  if (!wish) {
    return (
      <div className="buttons">
        <Button variant="secondary" onClick={() => setEditing(true)}>
          {t('earlier.ask')}
        </Button>
      </div>
    )
  }
  return (
    <div className="notice notice--info">
      <p>
        <strong>{t('earlier.waiting')}</strong> {describeWish(wish, t)}.
      </p>
      <p>{t('earlier.howOffered')}</p>
      <div className="buttons">
        <Button variant="secondary" onClick={() => setEditing(true)}>
          {t('earlier.change')}
        </Button>
        <Button variant="link" onClick={() => setStopping(true)}>
          {t('earlier.stop')}
        </Button>
      </div>
      <ConfirmDialog
        open={stopping}
        title={t('earlier.stopTitle')}
        confirmLabel={t('earlier.stopConfirm')}
        pending={withdraw.isPending}
        error={withdraw.error ? <ErrorNotice error={withdraw.error} /> : undefined}
        onCancel={() => setStopping(false)}
        onConfirm={() => void withdraw.mutateAsync(bookingId).then(() => setStopping(false), () => undefined)}
      >
        <p>{t('earlier.stopText')}</p>
      </ConfirmDialog>
    </div>
  )
}

function WishForm({ bookingId, wish, onDone }: { bookingId: string; wish: Wish | undefined; onDone: () => void }) {
  const { t, fieldErrors } = useI18n()
  const put = usePutEarlierTime()
  const fields = fieldErrors(put.error)
  const [days, setDays] = useState<number[]>(wish?.weekdays ?? [1, 2, 3, 4, 5, 6, 7])
  const [notBefore, setNotBefore] = useState(wish?.not_before ?? '')
  const [noDay, setNoDay] = useState(false)
  const legend = useId()
  // Opened by a button that is now gone: the form's heading takes focus.
  const heading = useRef<HTMLHeadingElement>(null)
  useEffect(() => heading.current?.focus(), [])
  return (
    <form
      className="earlier-form"
      noValidate
      onSubmit={(e) => {
        e.preventDefault()
        if (days.length === 0) {
          setNoDay(true)
          return
        }
        const body = { weekdays: days, ...(notBefore ? { not_before: notBefore } : {}) }
        void put.mutateAsync({ bookingId, wish: body }).then(onDone, () => undefined)
      }}
    >
      <h3 ref={heading} tabIndex={-1}>
        {t('earlier.formTitle')}
      </h3>
      <p>{t('earlier.formIntro')}</p>
      <fieldset aria-describedby={noDay || fields.weekdays ? `${legend}-error` : undefined}>
        <legend id={legend}>{t('earlier.days')}</legend>
        {WEEKDAYS.map((key, i) => (
          <Checkbox
            key={key}
            label={t(key)}
            checked={days.includes(i + 1)}
            onChange={(e) => {
              setNoDay(false)
              setDays(e.target.checked ? [...days, i + 1].sort((a, b) => a - b) : days.filter((d) => d !== i + 1))
            }}
          />
        ))}
        {(noDay || fields.weekdays) && (
          <p className="field__error" id={`${legend}-error`}>
            {noDay ? t('earlier.noDay') : fields.weekdays}
          </p>
        )}
      </fieldset>
      <SelectField label={t('earlier.notBefore')} value={notBefore} error={fields.not_before} onChange={(e) => setNotBefore(e.target.value)}>
        <option value="">{t('earlier.anyTime')}</option>
        {TIMES.map((time) => (
          <option key={time} value={time}>
            {time}
          </option>
        ))}
      </SelectField>
      {!fields.weekdays && !fields.not_before && <ErrorNotice error={put.error} />}
      <div className="buttons">
        <Button type="submit" disabled={put.isPending}>
          {wish ? t('earlier.save') : t('earlier.join')}
        </Button>
        <Button variant="secondary" onClick={onDone}>
          {t('common.cancel')}
        </Button>
      </div>
    </form>
  )
}

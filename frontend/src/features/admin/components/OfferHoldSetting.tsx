// Rule 16's setting on the catalogue page: how long an offer of an earlier
// time is held for the resident before it passes to the next in line.
import { useState } from 'react'
import { useI18n } from '../../../shared/i18n'
import { Button, ErrorNotice, TextField } from '../../../shared/ui'
import { SaveStatus } from '../../../shared/ui/SaveStatus'
import { usePutOfferHold } from '../api/offer-hold'

export function OfferHoldSetting({ minutes }: { minutes: number }) {
  const { t, fieldErrors } = useI18n()
  const put = usePutOfferHold()
  const [value, setValue] = useState(String(minutes))
  const [invalid, setInvalid] = useState(false)
  const fields = fieldErrors(put.error)
  return (
    <section className="card" aria-labelledby="offer-hold">
      <h2 id="offer-hold">{t('offerHold.title')}</h2>
      <p>{t('offerHold.intro')}</p>
      <form
        noValidate
        onSubmit={(e) => {
          e.preventDefault()
          const n = Number(value)
          const ok = /^\d+$/.test(value.trim()) && n >= 5 && n <= 120
          setInvalid(!ok)
          if (ok) put.mutate(n)
          else put.reset()
        }}
      >
        <TextField
          label={t('offerHold.minutes')}
          inputMode="numeric"
          value={value}
          error={invalid ? t('offerHold.range') : fields.minutes}
          onChange={(e) => {
            setValue(e.target.value)
            setInvalid(false)
          }}
        />
        {!fields.minutes && <ErrorNotice error={put.error} />}
        <div className="buttons">
          <Button type="submit" disabled={put.isPending}>
            {t('offerHold.save')}
          </Button>
          <SaveStatus message={put.isSuccess && !put.isPending ? t('offerHold.saved') : null} />
        </div>
      </form>
    </section>
  )
}

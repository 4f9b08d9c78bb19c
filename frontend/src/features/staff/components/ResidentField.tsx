// The personal identity number on the desk's booking forms, with the
// resident's name for staff to confirm before they book. The look-up is
// access-logged, so it runs on "Hämta namn" or on leaving a complete number,
// never per keystroke, and once per number; its answer is announced in a live
// region under the field.
import { useId, useState } from 'react'
import type { Schemas } from '../../../shared/api/client'
import { useI18n } from '../../../shared/i18n'
import { Button, TextField } from '../../../shared/ui'
import { useResidentLookup } from '../api/resident-lookup'
import { fieldCodes, fieldText, pnrComplete } from '../lib/field-codes'

type ResidentRef = Schemas['ResidentRef']

/** What the look-up said about one number. */
export type ResidentCheck =
  | { pnr: string; state: 'pending' }
  | { pnr: string; state: 'found'; resident: ResidentRef }
  | { pnr: string; state: 'unknown' }
  | { pnr: string; state: 'invalid'; code: string }
  | { pnr: string; state: 'failed'; error: unknown }

export function useResidentCheck(unitId: string) {
  const lookup = useResidentLookup()
  const [check, setCheck] = useState<ResidentCheck | null>(null)
  const run = (raw: string) => {
    const pnr = raw.trim()
    // The same number is looked up once (a blur then a click is one look-up).
    if (!pnr || (check && check.pnr === pnr && check.state !== 'failed')) return
    setCheck({ pnr, state: 'pending' })
    const settle = (next: ResidentCheck) => setCheck((current) => (current?.pnr === pnr ? next : current))
    lookup.mutateAsync({ unitId, pnr }).then(
      ({ resident }) => settle(resident ? { pnr, state: 'found', resident } : { pnr, state: 'unknown' }),
      (error: unknown) => {
        const code = fieldCodes(error).personal_identity_number
        settle(code ? { pnr, state: 'invalid', code } : { pnr, state: 'failed', error })
      },
    )
  }
  /** The answer for the number as it stands now (none once it is edited). */
  const current = (value: string): ResidentCheck | null => (check && check.pnr === value.trim() ? check : null)
  return { run, current }
}

export type ResidentChecker = ReturnType<typeof useResidentCheck>

/** The confirmed name for the number as typed, if the register has one. */
export function confirmedName(checker: ResidentChecker, value: string): string | null {
  const check = checker.current(value)
  return check?.state === 'found' ? (check.resident.name ?? null) : null
}

interface Props {
  checker: ResidentChecker
  value: string
  onChange: (value: string) => void
  /** The form's own error for the field (blank, or the server's code on booking). */
  error?: string
}

export function ResidentField({ checker, value, onChange, error }: Props) {
  const { t, problem } = useI18n()
  const statusId = useId()
  const check = checker.current(value)
  const invalid = check?.state === 'invalid' ? t(fieldText('personal_identity_number', check.code)) : undefined
  const shown = error ?? invalid
  return (
    <div className="resident-field">
      <div className="resident-field__row">
        <TextField
          label={t('common.pnr')}
          hint="ÅÅÅÅMMDD-NNNN"
          required
          autoComplete="off"
          value={value}
          error={shown}
          onChange={(e) => onChange(e.target.value)}
          onBlur={() => {
            if (pnrComplete(value)) checker.run(value)
          }}
        />
        <Button variant="secondary" onClick={() => checker.run(value)} disabled={!value.trim() || check?.state === 'pending'}>
          {t('staff.lookUpName')}
        </Button>
      </div>
      <p className={`resident-check resident-check--${check?.state ?? 'none'}`} role="status" id={statusId}>
        {check?.state === 'pending' && t('staff.lookingUp')}
        {check?.state === 'found' &&
          (check.resident.name ? (
            <>
              <span className="visually-hidden">{t('staff.residentIs')} </span>
              <strong>{check.resident.name}</strong> <span className="muted nowrap">{check.resident.personal_identity_number}</span>
            </>
          ) : (
            <>
              {t('staff.nameMissing')} <span className="muted nowrap">{check.resident.personal_identity_number}</span>
            </>
          ))}
        {check?.state === 'unknown' && t('staff.residentUnknown')}
        {/* The field shows the mistake; the live region says it too, for those who pressed the button. */}
        {check?.state === 'invalid' && <span className="visually-hidden">{invalid}</span>}
        {check?.state === 'failed' && <span className="resident-check__error">{problem(check.error)}</span>}
      </p>
    </div>
  )
}

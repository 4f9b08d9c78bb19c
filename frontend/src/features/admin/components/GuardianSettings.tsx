// Rule 17's settings on the catalogue page: the age until which guardians
// book for their children, and the population-register file the shipped
// adapter reads (replaced whole; every line that does not read is listed).
import { useState } from 'react'
import { ProblemError } from '../../../shared/api/client'
import { useI18n, isTextKey } from '../../../shared/i18n'
import { formatInstant } from '../../../shared/lib/dates'
import { Button, ErrorNotice, Notice, TextField } from '../../../shared/ui'
import { SaveStatus } from '../../../shared/ui/SaveStatus'
import { useImportRegister, usePopulationRegister, usePutGuardianAgeLimit } from '../api/guardians'

export function GuardianSettings({ years }: { years: number }) {
  const { t, lang, fieldErrors } = useI18n()
  const put = usePutGuardianAgeLimit()
  const register = usePopulationRegister()
  const upload = useImportRegister()
  const [value, setValue] = useState(String(years))
  const [invalid, setInvalid] = useState(false)
  const fields = fieldErrors(put.error)
  const lines =
    upload.error instanceof ProblemError && upload.error.slug === 'invalid-register'
      ? (upload.error.problem.lines as unknown as { line: number; code: string }[])
      : null
  const code = (c: string) => {
    const key = `guardians.code.${c}`
    return isTextKey(key) ? t(key) : c
  }
  return (
    <section className="card" aria-labelledby="guardians">
      <h2 id="guardians">{t('guardians.title')}</h2>
      <p>{t('guardians.intro')}</p>
      <form
        noValidate
        onSubmit={(e) => {
          e.preventDefault()
          const n = Number(value)
          const ok = /^\d+$/.test(value.trim()) && n >= 1 && n <= 18
          setInvalid(!ok)
          if (ok) put.mutate(n)
          else put.reset()
        }}
      >
        <TextField
          label={t('guardians.limit')}
          inputMode="numeric"
          value={value}
          error={invalid ? t('guardians.range') : fields.years}
          onChange={(e) => {
            setValue(e.target.value)
            setInvalid(false)
          }}
        />
        {!fields.years && <ErrorNotice error={put.error} />}
        <div className="buttons">
          <Button type="submit" disabled={put.isPending}>
            {t('guardians.save')}
          </Button>
          <SaveStatus message={put.isSuccess && !put.isPending ? t('guardians.saved') : null} />
        </div>
      </form>

      <h3>{t('guardians.register')}</h3>
      <ErrorNotice error={register.error} />
      {register.data && (
        <p>
          {register.data.loaded_at
            ? t('guardians.registerSize', {
                n: register.data.guardianships,
                children: register.data.children,
                when: formatInstant(register.data.loaded_at, lang),
              })
            : t('guardians.registerEmpty')}
        </p>
      )}
      <div className="field">
        <label htmlFor="register-csv">{t('guardians.import')}</label>
        <p className="muted" id="register-csv-help">
          {t('guardians.importHelp')}
        </p>
        <input
          id="register-csv"
          type="file"
          accept=".csv,text/csv,text/plain"
          aria-describedby="register-csv-help"
          onChange={(e) => {
            const file = e.target.files?.[0]
            if (file) void file.text().then((csv) => upload.mutate(csv))
            e.target.value = ''
          }}
        />
      </div>
      {upload.data && !upload.isPending && <Notice kind="success">{t('guardians.imported', { n: upload.data.guardianships })}</Notice>}
      {lines ? (
        <Notice kind="error">
          {lines.length === 0 ? (
            <p>{t('guardians.emptyFile')}</p>
          ) : (
            <>
              <p>{t('guardians.errors')}</p>
              <ul>
                {lines.map((l) => (
                  <li key={l.line}>{t('guardians.line', { line: l.line, error: code(l.code) })}</li>
                ))}
              </ul>
            </>
          )}
        </Notice>
      ) : (
        <ErrorNotice error={upload.error} />
      )}
    </section>
  )
}

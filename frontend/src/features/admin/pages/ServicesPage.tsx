// A unit's two online services. Regional admins set them up; unit admins
// write the terms (with a preview as residents see it), activate them for all
// residents or a restricted selection, and import the selection from CSV.
import { useRef, useState } from 'react'
import { useSession } from '../../../shared/auth/session'
import { ProblemError, type Schemas } from '../../../shared/api/client'
import { fieldMessage, useI18n, type TextKey } from '../../../shared/i18n'
import { Button, Checkbox, ErrorNotice, Loading, Notice, Page, TextArea } from '../../../shared/ui'
import { UnitPicker } from '../../../shared/ui/UnitPicker'
import { importSelection, previewTerms, setActivation, setUpService, updateTerms, useServiceChange, useServices, type ServiceName } from '../api/services'
import { useStaffMe } from '../../../shared/auth/staff-me'
import { UnitReminders } from '../components/Reminders'
import { termsRemovals } from '../lib/terms-check'
import { SaveStatus } from '../../../shared/ui/SaveStatus'

const SERVICES: [ServiceName, TextKey][] = [
  ['book_online', 'units.bookOnline'],
  ['cancel_rebook_online', 'units.changeOnline'],
]

export function ServicesPage() {
  const { t } = useI18n()
  const me = useStaffMe()
  const [unitId, setUnitId] = useState<string | null>(null)
  const services = useServices(unitId)
  return (
    <Page title={t('admin.servicesTitle')} wide>
      <ErrorNotice error={me.error ?? services.error} />
      {me.data && (
        <div className="toolbar">
          <UnitPicker me={me.data} value={unitId} onChange={setUnitId} />
        </div>
      )}
      {services.isPending && unitId && <Loading />}
      {unitId &&
        services.data &&
        SERVICES.map(([name, label]) => (
          <Service key={`${unitId}-${name}`} unitId={unitId} name={name} label={t(label)} setting={services.data.find((s) => s.service === name) ?? null} />
        ))}
      {unitId && services.data && <UnitReminders unitId={unitId} />}
    </Page>
  )
}

function Service({ unitId, name, label, setting }: { unitId: string; name: ServiceName; label: string; setting: Schemas['AdminServiceResponse'] | null }) {
  const { t } = useI18n()
  const { session } = useSession()
  const setUp = useServiceChange(unitId, () => setUpService(unitId, name))
  return (
    <section className="card" aria-labelledby={`service-${name}`}>
      <h2 id={`service-${name}`}>{label}</h2>
      {!setting && (
        <>
          <p>{t('admin.notSetUp')}</p>
          {session?.role === 'regional_admin' && (
            <Button onClick={() => setUp.mutate(undefined)} disabled={setUp.isPending}>
              {t('admin.setUp')}
            </Button>
          )}
          <ErrorNotice error={setUp.error} />
        </>
      )}
      {setting && (
        <p>
          <strong>{setting.active ? t('admin.active') : t('admin.inactive')}</strong> · {t(`admin.audience.${setting.audience}` as TextKey)}{' '}
          <SaveStatus message={setUp.isSuccess ? t('admin.setUpDone') : null} />
        </p>
      )}
      {setting && session?.role === 'unit_admin' && (
        <>
          <TermsEditor unitId={unitId} name={name} setting={setting} />
          <Activation unitId={unitId} name={name} setting={setting} />
          <Selection unitId={unitId} name={name} setting={setting} />
        </>
      )}
    </section>
  )
}

function TermsEditor({ unitId, name, setting }: { unitId: string; name: ServiceName; setting: Schemas['AdminServiceResponse'] }) {
  const { t } = useI18n()
  const [text, setText] = useState(setting.terms_markdown)
  // The preview with the text it was made from, to tell what the sanitiser took out.
  const [preview, setPreview] = useState<{ html: string; markdown: string } | null>(null)
  const [previewError, setPreviewError] = useState<unknown>(null)
  const area = useRef<HTMLTextAreaElement>(null)
  const save = useServiceChange(unitId, (markdown: string) => updateTerms(unitId, name, markdown))
  const edit = (next: string) => {
    setText(next)
    if (save.isSuccess) save.reset()
  }
  const wrap = (before: string, after = before) => {
    const el = area.current
    if (!el) return
    const { selectionStart: a, selectionEnd: b } = el
    edit(text.slice(0, a) + before + text.slice(a, b) + after + text.slice(b))
  }
  const bullet = () => {
    const el = area.current
    const at = el?.selectionStart ?? text.length
    const lineStart = text.lastIndexOf('\n', at - 1) + 1
    edit(`${text.slice(0, lineStart)}- ${text.slice(lineStart)}`)
  }
  const removed = preview ? termsRemovals(preview.markdown) : null
  const service = t(`admin.service.${name}` as TextKey)
  return (
    <form
      onSubmit={(e) => {
        e.preventDefault()
        save.mutate(text)
      }}
    >
      <h3>{t('admin.terms')}</h3>
      <div className="markdown-tools" role="toolbar" aria-label={t('admin.terms')}>
        <Button variant="secondary" onClick={() => wrap('**')} aria-label={t('admin.bold')}>
          <strong>B</strong>
        </Button>
        <Button variant="secondary" onClick={() => wrap('*')} aria-label={t('admin.italic')}>
          <em>I</em>
        </Button>
        <Button variant="secondary" onClick={bullet} aria-label={t('admin.bullet')}>
          • –
        </Button>
      </div>
      <TextArea ref={area} label={t('admin.termsFor', { service })} hint={t('admin.termsHelp')} rows={10} maxLength={10000} value={text} onChange={(e) => edit(e.target.value)} />
      <div className="buttons">
        <Button type="submit" disabled={save.isPending}>
          {t('common.save')}
        </Button>
        <Button
          variant="secondary"
          onClick={() => {
            setPreviewError(null)
            const markdown = text
            previewTerms(markdown)
              .then((p) => setPreview({ html: p.terms_html, markdown }))
              .catch(setPreviewError)
          }}
        >
          {t('admin.preview')}
        </Button>
        <SaveStatus message={save.isSuccess ? t('admin.termsSaved') : null} />
      </div>
      <ErrorNotice error={save.error ?? previewError} />
      {preview !== null && (
        <section aria-label={t('admin.previewTitle')}>
          <h4>{t('admin.previewTitle')}</h4>
          {removed?.code && <Notice kind="warning">{t('admin.removedCode')}</Notice>}
          {removed && removed.tags.length > 0 && <Notice kind="warning">{t('admin.removedTags', { tags: removed.tags.map((x) => `<${x}>`).join(', ') })}</Notice>}
          {preview.markdown !== text && <p className="muted">{t('admin.previewStale')}</p>}
          <div className="terms" dangerouslySetInnerHTML={{ __html: preview.html }} />
        </section>
      )}
    </form>
  )
}

function Activation({ unitId, name, setting }: { unitId: string; name: ServiceName; setting: Schemas['AdminServiceResponse'] }) {
  const { t } = useI18n()
  const [active, setActive] = useState(setting.active)
  const [audience, setAudience] = useState(setting.audience)
  const save = useServiceChange(unitId, () => setActivation(unitId, name, { active, audience }))
  return (
    <form
      onSubmit={(e) => {
        e.preventDefault()
        save.mutate(undefined)
      }}
    >
      <h3>{t('admin.activate')}</h3>
      <Checkbox
        label={t('admin.active')}
        checked={active}
        onChange={(e) => {
          setActive(e.target.checked)
          save.reset()
        }}
      />
      <fieldset>
        <legend>{t('admin.selection')}</legend>
        {(['all_residents', 'restricted_selection'] as const).map((a) => (
          <label key={a} className="choice">
            <input
              type="radio"
              name={`audience-${name}`}
              value={a}
              checked={audience === a}
              onChange={() => {
                setAudience(a)
                save.reset()
              }}
            />
            <span>{t(`admin.audience.${a}` as TextKey)}</span>
          </label>
        ))}
      </fieldset>
      <ErrorNotice error={save.error} />
      <div className="buttons">
        <Button type="submit" disabled={save.isPending}>
          {t('common.save')}
        </Button>
        <SaveStatus
          message={
            save.isSuccess
              ? t('admin.activationSaved', { state: (active ? t('admin.active') : t('admin.inactive')).toLowerCase(), audience: t(`admin.audience.${audience}` as TextKey).toLowerCase() })
              : null
          }
        />
      </div>
    </form>
  )
}

function Selection({ unitId, name, setting }: { unitId: string; name: ServiceName; setting: Schemas['AdminServiceResponse'] }) {
  const { t, lang } = useI18n()
  const upload = useServiceChange(unitId, (csv: string) => importSelection(unitId, name, csv))
  // Each invalid line by its stable code (pnr_check_digit, …), in the admin's language.
  const lines = upload.error instanceof ProblemError && upload.error.slug === 'invalid-selection' ? (upload.error.problem.lines as unknown as { line: number; code: string }[]) : null
  return (
    <div>
      <h3>{t('admin.selection')}</h3>
      <p>{t('admin.selectionSize', { n: setting.selection_size })}</p>
      <div className="field">
        <label htmlFor={`csv-${name}`}>{t('admin.selectionImport')}</label>
        <input
          id={`csv-${name}`}
          type="file"
          accept=".csv,text/csv,text/plain"
          onChange={(e) => {
            const file = e.target.files?.[0]
            if (file) void file.text().then((csv) => upload.mutate(csv))
            e.target.value = ''
          }}
        />
      </div>
      {upload.data && <Notice kind="success">{t('admin.selectionImported', { n: upload.data.size })}</Notice>}
      {lines ? (
        <Notice kind="error">
          <p>{t('admin.selectionErrors')}</p>
          <ul>
            {lines.map((l) => (
              <li key={l.line}>{t('admin.selectionLine', { line: l.line, error: fieldMessage(lang, l.code) })}</li>
            ))}
          </ul>
        </Notice>
      ) : (
        <ErrorNotice error={upload.error} />
      )}
    </div>
  )
}

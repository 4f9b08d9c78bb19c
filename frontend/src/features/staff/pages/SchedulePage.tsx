// Schemaläggning: the template editor, publishing, one-day changes, empty
// days and the horizon report; regional admins see their region's horizon.
import { useMutation } from '@tanstack/react-query'
import { useEffect, useId, useRef, useState } from 'react'
import { ProblemError } from '../../../shared/api/client'
import { useSession } from '../../../shared/auth/session'
import { useI18n } from '../../../shared/i18n'
import { addDays, formatDateLong, todayInStockholm } from '../../../shared/lib/dates'
import { Button, Checkbox, ErrorNotice, Loading, Notice, Page, SelectField, TextField } from '../../../shared/ui'
import { SaveStatus } from '../../../shared/ui/SaveStatus'
import { usePractitioners } from '../api/get-practitioners'
import { useStaffMe } from '../../../shared/auth/staff-me'
import { useUnitCatalogue } from '../api/get-unit-catalogue'
import { changeDay, emptyDay, publish, putTemplate, restoreDay, useHorizon, useRegionHorizon, useScheduleChange, useTemplate } from '../api/schedule'
import { useScheduleSettings, useUpdateScheduleSettings } from '../api/schedule-settings'
import { BlocksEditor, type Block } from '../components/BlocksEditor'
import { HorizonPanel } from '../components/HorizonPanel'
import { PublishResult } from '../components/PublishResult'
import { UnitPicker } from '../../../shared/ui/UnitPicker'
import { choosePractitioner } from '../lib/practitioner'
import { fieldCodes, fieldText } from '../lib/field-codes'
import { LONG_RANGE_WEEKS, rangeError, rangeWeeks, type PublishOutcome, type PublishPreview } from '../lib/publish-plan'

export function SchedulePage() {
  const { t } = useI18n()
  const { session } = useSession()
  const me = useStaffMe()
  const [unitId, setUnitId] = useState<string | null>(null)
  const regional = session?.role === 'regional_admin'
  return (
    <Page title={t('schedule.title')} wide>
      {me.isPending && <Loading />}
      <ErrorNotice error={me.error} />
      {me.data && regional && <RegionHorizon regionId={me.data.region ?? null} />}
      {me.data && !regional && (
        <>
          <div className="toolbar">
            <UnitPicker me={me.data} value={unitId} onChange={setUnitId} />
          </div>
          {unitId && <UnitSchedule unitId={unitId} />}
        </>
      )}
    </Page>
  )
}

function RegionHorizon({ regionId }: { regionId: string | null }) {
  const reports = useRegionHorizon(regionId)
  return (
    <>
      {reports.isPending && <Loading />}
      <ErrorNotice error={reports.error} />
      {reports.data?.map((r) => <HorizonPanel key={r.unit.id} report={r} />)}
    </>
  )
}

function UnitSchedule({ unitId }: { unitId: string }) {
  const { t } = useI18n()
  const practitioners = usePractitioners(unitId)
  const catalogue = useUnitCatalogue(unitId)
  const horizon = useHorizon(unitId)
  const me = useStaffMe()
  const [practitionerId, setPractitionerId] = useState<string | null>(null)
  // The signed-in staff member's own schedule first, as their book.
  const preferred = me.data?.practitioner_id ?? null
  useEffect(() => {
    if (!practitioners.data) return
    const chosen = choosePractitioner(practitioners.data, practitionerId, preferred)
    if (chosen !== practitionerId) setPractitionerId(chosen)
  }, [practitioners.data, practitionerId, preferred])
  return (
    <>
      {horizon.data && <HorizonPanel report={horizon.data} />}
      <SelectField label={t('common.practitioner')} value={practitionerId ?? ''} onChange={(e) => setPractitionerId(e.target.value)}>
        {practitioners.data?.map((p) => (
          <option key={p.id} value={p.id}>
            {p.name}
          </option>
        ))}
      </SelectField>
      {practitionerId && catalogue.data && <PractitionerSchedule key={practitionerId} unitId={unitId} practitionerId={practitionerId} types={catalogue.data} />}
    </>
  )
}

function PractitionerSchedule({ unitId, practitionerId, types }: { unitId: string; practitionerId: string; types: NonNullable<ReturnType<typeof useUnitCatalogue>['data']> }) {
  const { t } = useI18n()
  const template = useTemplate(practitionerId)
  const [blocks, setBlocks] = useState<Block[] | null>(null)
  const today = todayInStockholm()
  const [day, setDay] = useState(addDays(today, 1))
  const [dayBlocks, setDayBlocks] = useState<Block[]>([])
  const save = useScheduleChange((b: Block[]) => putTemplate(practitionerId, b))
  const dayChange = useScheduleChange(({ kind }: { kind: 'change' | 'empty' | 'restore' }) =>
    kind === 'change' ? changeDay(practitionerId, day, dayBlocks) : kind === 'empty' ? emptyDay(practitionerId, day) : restoreDay(practitionerId, day),
  )
  useEffect(() => {
    if (template.data && blocks === null) {
      setBlocks(template.data.blocks.map(({ end: _end, ...b }) => b))
    }
  }, [template.data, blocks])
  const overlap = save.error instanceof ProblemError && save.error.slug === 'template-overlap' ? save.error.problem : null
  const badRows = overlap ? [Number(overlap.first), Number(overlap.second)] : []
  const dayResult = dayChange.data && 'created' in dayChange.data ? dayChange.data : null

  return (
    <>
      <h2>{t('schedule.template')}</h2>
      {template.isPending && <Loading />}
      {blocks && (
        <form
          onSubmit={(e) => {
            e.preventDefault()
            save.mutate(blocks)
          }}
        >
          <BlocksEditor blocks={blocks} onChange={setBlocks} types={types} withWeekday badRows={badRows} caption={t('schedule.template')} />
          {overlap && <Notice kind="error">{t('schedule.overlap', { first: Number(overlap.first) + 1, second: Number(overlap.second) + 1 })}</Notice>}
          {save.error && !overlap && <ErrorNotice error={save.error} />}
          {save.isSuccess && <Notice kind="success">{t('common.saved')}</Notice>}
          <div className="buttons">
            <Button type="submit" disabled={save.isPending}>
              {t('common.save')}
            </Button>
          </div>
        </form>
      )}

      <PublishSection unitId={unitId} practitionerId={practitionerId} />

      <h2>{t('schedule.dayChange')}</h2>
      <p>{t('schedule.dayChangeIntro')}</p>
      <TextField label={t('common.date')} type="date" value={day} min={today} onChange={(e) => setDay(e.target.value)} />
      <BlocksEditor blocks={dayBlocks} onChange={setDayBlocks} types={types} withWeekday={false} caption={t('schedule.dayChange')} />
      <div className="buttons">
        <Button onClick={() => dayChange.mutate({ kind: 'change' })} disabled={dayChange.isPending}>
          {t('common.save')}
        </Button>
        <Button variant="secondary" onClick={() => dayChange.mutate({ kind: 'empty' })} disabled={dayChange.isPending}>
          {t('schedule.emptyDay')}
        </Button>
        <Button variant="secondary" onClick={() => dayChange.mutate({ kind: 'restore' })} disabled={dayChange.isPending}>
          {t('schedule.restoreDay')}
        </Button>
      </div>
      <ErrorNotice error={dayChange.error} />
      {dayResult && <PublishResult result={dayResult} />}
    </>
  )
}

/** Publishing in two steps: "Förhandsgranska" asks the server for a dry run of
 * the range (what it would create, withdraw and leave in conflict, and the
 * holidays it skips), "Publicera" commits that same range. */
function PublishSection({ unitId, practitionerId }: { unitId: string; practitionerId: string }) {
  const { t, lang } = useI18n()
  const today = todayInStockholm()
  const [from, setFrom] = useState(today)
  const [to, setTo] = useState(addDays(today, 9 * 7))
  const [preview, setPreview] = useState<PublishPreview | null>(null)
  const previewHeading = useRef<HTMLHeadingElement>(null)
  const resultRef = useRef<HTMLDivElement>(null)
  const toField = useRef<HTMLDivElement>(null)
  const dryRun = useMutation({ mutationFn: ({ from, to }: { from: string; to: string }) => publish(practitionerId, from, to, true) })
  const publishing = useScheduleChange(({ from, to }: { from: string; to: string }) => publish(practitionerId, from, to))
  const range = rangeError(from, to)
  const failed = dryRun.error ?? publishing.error
  const codes = fieldCodes(failed)
  const toError = range ? t('schedule.endBeforeStart') : codes.to ? t(fieldText('to', codes.to)) : undefined
  const fromError = codes.from ? t(fieldText('from', codes.from)) : undefined
  const otherError = failed && !codes.to && !codes.from ? failed : null
  const result = publishing.data && 'created' in publishing.data ? (publishing.data as PublishOutcome) : null
  useEffect(() => {
    if (preview) previewHeading.current?.focus()
  }, [preview])
  useEffect(() => {
    if (result) resultRef.current?.focus()
  }, [result])
  const changed = () => {
    setPreview(null)
    dryRun.reset()
    publishing.reset()
  }
  return (
    <section aria-labelledby="publish-heading">
      <h2 id="publish-heading">{t('schedule.publish')}</h2>
      <p>{t('schedule.publishIntro')}</p>
      <HolidaySetting unitId={unitId} onChange={changed} />
      <form
        className="toolbar"
        noValidate
        onSubmit={(e) => {
          e.preventDefault()
          if (range) {
            toField.current?.querySelector('input')?.focus()
            return
          }
          changed()
          const asked = { from, to }
          void dryRun.mutateAsync(asked).then(
            (outcome) => setPreview({ ...asked, outcome }),
            () => undefined,
          )
        }}
      >
        <TextField
          label={t('common.from')}
          type="date"
          value={from}
          min={today}
          error={fromError}
          onChange={(e) => {
            setFrom(e.target.value)
            changed()
          }}
        />
        <div ref={toField}>
          <TextField
            label={t('common.to')}
            type="date"
            value={to}
            min={from}
            error={toError}
            onChange={(e) => {
              setTo(e.target.value)
              changed()
            }}
          />
        </div>
        <Button type="submit" variant="secondary" disabled={dryRun.isPending}>
          {t('schedule.previewPublish')}
        </Button>
      </form>
      {dryRun.isPending && <Loading />}
      {preview && !result && (
        <div className="card publish-preview">
          <h3 ref={previewHeading} tabIndex={-1}>
            {t('schedule.previewTitle', { from: formatDateLong(preview.from, lang), to: formatDateLong(preview.to, lang) })}
          </h3>
          <PublishResult result={preview.outcome} preview />
          {rangeWeeks(preview.from, preview.to) > LONG_RANGE_WEEKS && <Notice kind="warning">{t('schedule.previewLong', { weeks: rangeWeeks(preview.from, preview.to) })}</Notice>}
          <ErrorNotice error={otherError} />
          <div className="buttons">
            <Button onClick={() => publishing.mutate({ from: preview.from, to: preview.to })} disabled={publishing.isPending}>
              {t('schedule.confirmPublish')}
            </Button>
            <Button variant="secondary" onClick={changed}>
              {t('common.cancel')}
            </Button>
          </div>
        </div>
      )}
      {!preview && <ErrorNotice error={otherError} />}
      {result && (
        <div ref={resultRef} tabIndex={-1}>
          <PublishResult result={result} />
        </div>
      )}
    </section>
  )
}

/** Whether templates publish on public holidays (rule 22): unit admins choose,
 * staff see what applies. */
function HolidaySetting({ unitId, onChange }: { unitId: string; onChange: () => void }) {
  const { t } = useI18n()
  const { session } = useSession()
  const settings = useScheduleSettings(unitId)
  if (settings.isPending) return null
  if (settings.error) return <ErrorNotice error={settings.error} />
  if (session?.role === 'unit_admin') return <HolidayChoice unitId={unitId} current={settings.data.publish_on_holidays} onChange={onChange} />
  return <p className="holiday-rule">{t(settings.data.publish_on_holidays ? 'schedule.holidaysPublished' : 'schedule.holidaysSkipped')}</p>
}

function HolidayChoice({ unitId, current, onChange }: { unitId: string; current: boolean; onChange: () => void }) {
  const { t } = useI18n()
  const update = useUpdateScheduleSettings(unitId)
  const hint = useId()
  // The box follows the click at once; the server's answer confirms it or puts it back.
  const [checked, setChecked] = useState(current)
  return (
    <div className="inline-save holiday-rule">
      <Checkbox
        label={t('schedule.publishOnHolidays')}
        aria-describedby={hint}
        checked={checked}
        onChange={(e) => {
          const next = e.target.checked
          setChecked(next)
          onChange()
          void update.mutateAsync({ publish_on_holidays: next }).then(
            (saved) => setChecked(saved.publish_on_holidays),
            () => setChecked(!next),
          )
        }}
      />
      <SaveStatus message={update.isSuccess && !update.isPending ? t(update.data.publish_on_holidays ? 'schedule.holidaysOnSaved' : 'schedule.holidaysOffSaved') : null} />
      <p className="field__hint holiday-rule__hint" id={hint}>
        {t('schedule.holidaysWholeUnit')}
      </p>
      <ErrorNotice error={update.error} />
    </div>
  )
}

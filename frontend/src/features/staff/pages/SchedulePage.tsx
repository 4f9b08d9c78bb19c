// Schemaläggning: the template editor, publishing, one-day changes, empty
// days and the horizon report; regional admins see their region's horizon.
import { useEffect, useRef, useState } from 'react'
import { ProblemError, type Schemas } from '../../../shared/api/client'
import { useSession } from '../../../shared/auth/session'
import { useI18n } from '../../../shared/i18n'
import { addDays, formatDateLong, todayInStockholm } from '../../../shared/lib/dates'
import { Button, ErrorNotice, Loading, Notice, Page, SelectField, TextField } from '../../../shared/ui'
import { usePractitioners } from '../api/get-practitioners'
import { useStaffMe } from '../api/get-staff-me'
import { useUnitCatalogue } from '../api/get-unit-catalogue'
import { changeDay, emptyDay, publish, putTemplate, restoreDay, useHorizon, useRegionHorizon, useScheduleChange, useTemplate } from '../api/schedule'
import { BlocksEditor, type Block } from '../components/BlocksEditor'
import { HorizonPanel } from '../components/HorizonPanel'
import { PublishResult } from '../components/PublishResult'
import { UnitPicker } from '../../../shared/ui/UnitPicker'
import { LONG_RANGE_WEEKS, rangeError, templateCount, type PublishOutcome, type PublishPreview } from '../lib/publish-plan'

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
  const [practitionerId, setPractitionerId] = useState<string | null>(null)
  useEffect(() => {
    if (!practitionerId && practitioners.data?.[0]) setPractitionerId(practitioners.data[0].id)
  }, [practitionerId, practitioners.data])
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
      {practitionerId && catalogue.data && <PractitionerSchedule key={practitionerId} practitionerId={practitionerId} types={catalogue.data} />}
    </>
  )
}

function PractitionerSchedule({ practitionerId, types }: { practitionerId: string; types: NonNullable<ReturnType<typeof useUnitCatalogue>['data']> }) {
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

      <PublishSection practitionerId={practitionerId} blocks={template.data?.blocks ?? []} />

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

/** Publishing in two steps: "Förhandsgranska" shows what the range gives, "Publicera" creates it. */
function PublishSection({ practitionerId, blocks }: { practitionerId: string; blocks: Schemas['BlockResponse'][] }) {
  const { t, lang, fieldErrors } = useI18n()
  const today = todayInStockholm()
  const [from, setFrom] = useState(today)
  const [to, setTo] = useState(addDays(today, 9 * 7))
  const [preview, setPreview] = useState<PublishPreview | null>(null)
  const previewHeading = useRef<HTMLHeadingElement>(null)
  const resultRef = useRef<HTMLDivElement>(null)
  const toField = useRef<HTMLDivElement>(null)
  const publishing = useScheduleChange(() => publish(practitionerId, from, to))
  const range = rangeError(from, to)
  const server = publishing.error instanceof ProblemError ? publishing.error : null
  const serverFields = fieldErrors(server)
  const toError = range ? t('schedule.endBeforeStart') : serverFields.to
  const result = publishing.data && 'created' in publishing.data ? (publishing.data as PublishOutcome) : null
  useEffect(() => {
    if (preview) previewHeading.current?.focus()
  }, [preview])
  useEffect(() => {
    if (result) resultRef.current?.focus()
  }, [result])
  const changed = () => {
    setPreview(null)
    publishing.reset()
  }
  return (
    <section aria-labelledby="publish-heading">
      <h2 id="publish-heading">{t('schedule.publish')}</h2>
      <p>{t('schedule.publishIntro')}</p>
      <form
        className="toolbar"
        noValidate
        onSubmit={(e) => {
          e.preventDefault()
          if (range) {
            toField.current?.querySelector('input')?.focus()
            return
          }
          publishing.reset()
          const count = templateCount(blocks, from, to)
          setPreview({ source: 'template', ...count })
        }}
      >
        <TextField
          label={t('common.from')}
          type="date"
          value={from}
          min={today}
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
        <Button type="submit" variant="secondary">
          {t('schedule.previewPublish')}
        </Button>
      </form>
      {preview && !result && (
        <div className="card publish-preview">
          <h3 ref={previewHeading} tabIndex={-1}>
            {t('schedule.previewTitle', { from: formatDateLong(from, lang), to: formatDateLong(to, lang) })}
          </h3>
          {preview.source === 'template' ? (
            <>
              <p>{t('schedule.previewTemplate', { slots: preview.slots, days: preview.days })}</p>
              <p className="muted">{t('schedule.previewTemplateNote')}</p>
              {preview.weeks > LONG_RANGE_WEEKS && <Notice kind="warning">{t('schedule.previewLong', { weeks: preview.weeks })}</Notice>}
            </>
          ) : (
            <PublishResult result={preview.outcome} preview />
          )}
          <ErrorNotice error={server && !serverFields.to ? server : null} />
          <div className="buttons">
            <Button onClick={() => publishing.mutate(undefined)} disabled={publishing.isPending}>
              {t('schedule.confirmPublish')}
            </Button>
            <Button variant="secondary" onClick={changed}>
              {t('common.cancel')}
            </Button>
          </div>
        </div>
      )}
      {!preview && <ErrorNotice error={server && !serverFields.to ? server : null} />}
      {result && (
        <div ref={resultRef} tabIndex={-1}>
          <PublishResult result={result} />
        </div>
      )}
    </section>
  )
}

// Rule 14's settings: the region's reminders (regional admins, on the
// catalogue page) and a unit's — its own list or its region's (on the
// services page). A save is confirmed beside its button; a refusal names
// what to correct.
import { useEffect, useRef, useState } from 'react'
import { ProblemError } from '../../../shared/api/client'
import { useI18n } from '../../../shared/i18n'
import { Button, ErrorNotice, Loading } from '../../../shared/ui'
import { SaveStatus } from '../../../shared/ui/SaveStatus'
import { type ReminderOffset, usePutUnitReminders, useUnitReminders, useUpdateRegionReminders } from '../api/reminders'
import { fromDrafts, ReminderEditor, toDrafts, useHoursInWords } from './ReminderEditor'

/** The list in words: "7 dygn (bokat minst 10 dygn i förväg), 2 dygn". */
function useListInWords() {
  const { t } = useI18n()
  const inWords = useHoursInWords()
  return (list: ReminderOffset[]) =>
    list.length === 0
      ? t('reminders.none')
      : list
          .map((o) =>
            o.only_if_booked_hours_ahead == null
              ? inWords(String(o.hours_before))
              : t('reminders.withAhead', { before: inWords(String(o.hours_before)) ?? '', ahead: inWords(String(o.only_if_booked_hours_ahead)) ?? '' }),
          )
          .join(', ')
}

/** What is wrong with a refused list, in the reader's words: a number out of
 * range says the limits of a reminder. */
function useReminderError() {
  const { t, fieldErrors } = useI18n()
  return (error: unknown) =>
    error instanceof ProblemError && error.fieldCodes().reminders === 'range' ? t('reminders.range') : fieldErrors(error).reminders
}

/** Moves focus to the error of a refused save. */
function useFocusOnRefusal(error: unknown) {
  const ref = useRef<HTMLDivElement>(null)
  useEffect(() => {
    if (error) ref.current?.querySelector<HTMLElement>('.field__error, [role="alert"]')?.focus()
  }, [error])
  return ref
}

export function RegionReminders({ list }: { list: ReminderOffset[] }) {
  const { t } = useI18n()
  const reminderError = useReminderError()
  const update = useUpdateRegionReminders()
  const [drafts, setDrafts] = useState(() => toDrafts(list))
  const [notWhole, setNotWhole] = useState(false)
  const ref = useFocusOnRefusal(update.error ?? (notWhole || null))
  const inWords = useListInWords()
  return (
    <section className="card" aria-labelledby="region-reminders">
      <h2 id="region-reminders">{t('reminders.regionTitle')}</h2>
      <p>{t('reminders.regionIntro')}</p>
      <p>
        <strong>{t('reminders.current')}</strong> {inWords(list)}
      </p>
      <div ref={ref}>
        <ReminderEditor drafts={drafts} onChange={setDrafts} error={notWhole ? t('reminders.wholeHours') : reminderError(update.error)} />
      </div>
      {update.error instanceof ProblemError && update.error.slug !== 'validation-failed' && <ErrorNotice error={update.error} />}
      <div className="buttons">
        <Button
          disabled={update.isPending}
          onClick={() => {
            const list = fromDrafts(drafts)
            setNotWhole(list === null)
            if (list) update.mutate(list, { onSuccess: (region) => setDrafts(toDrafts(region.reminders)) })
            else update.reset()
          }}
        >
          {t('reminders.save')}
        </Button>
        <SaveStatus message={update.isSuccess && !update.isPending ? t('reminders.saved') : null} />
      </div>
    </section>
  )
}

export function UnitReminders({ unitId }: { unitId: string }) {
  const { t } = useI18n()
  const settings = useUnitReminders(unitId)
  return (
    <section className="card" aria-labelledby="unit-reminders">
      <h2 id="unit-reminders">{t('reminders.unitTitle')}</h2>
      {settings.isPending && <Loading />}
      <ErrorNotice error={settings.error} />
      {settings.data && <UnitRemindersForm key={unitId} unitId={unitId} own={settings.data.own} list={settings.data.reminders} region={settings.data.region_reminders} />}
    </section>
  )
}

function UnitRemindersForm({ unitId, own, list, region }: { unitId: string; own: boolean; list: ReminderOffset[]; region: ReminderOffset[] }) {
  const { t } = useI18n()
  const reminderError = useReminderError()
  const put = usePutUnitReminders(unitId)
  const [ownChoice, setOwnChoice] = useState(own)
  const [drafts, setDrafts] = useState(() => toDrafts(own ? list : region))
  const [notWhole, setNotWhole] = useState(false)
  const ref = useFocusOnRefusal(put.error ?? (notWhole || null))
  const inWords = useListInWords()
  return (
    <>
      <p>
        <strong>{t('reminders.current')}</strong> {inWords(list)} {own ? t('reminders.isOwn') : t('reminders.isRegions')}
      </p>
      <fieldset>
        <legend>{t('reminders.whose')}</legend>
        <label className="choice">
          <input type="radio" name={`whose-${unitId}`} checked={!ownChoice} onChange={() => setOwnChoice(false)} />
          <span>{t('reminders.followRegion', { list: inWords(region) })}</span>
        </label>
        <label className="choice">
          <input type="radio" name={`whose-${unitId}`} checked={ownChoice} onChange={() => setOwnChoice(true)} />
          <span>{t('reminders.ownList')}</span>
        </label>
      </fieldset>
      {ownChoice && (
        <div ref={ref}>
          <ReminderEditor drafts={drafts} onChange={setDrafts} error={notWhole ? t('reminders.wholeHours') : reminderError(put.error)} />
        </div>
      )}
      {put.error instanceof ProblemError && put.error.slug !== 'validation-failed' && <ErrorNotice error={put.error} />}
      <div className="buttons">
        <Button
          disabled={put.isPending}
          onClick={() => {
            const own = ownChoice ? fromDrafts(drafts) : null
            setNotWhole(ownChoice && own === null)
            if (!ownChoice) put.mutate({ own: false })
            else if (own) put.mutate({ own: true, reminders: own })
            else put.reset()
          }}
        >
          {t('reminders.save')}
        </Button>
        <SaveStatus message={put.isSuccess && !put.isPending ? t('reminders.saved') : null} />
      </div>
    </>
  )
}

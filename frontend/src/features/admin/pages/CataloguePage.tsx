// The region's appointment-type catalogue: portal policy and eligibility
// (regional admins), and whether staff cancellations notify residents.
import { useState } from 'react'
import { ProblemError, type Schemas } from '../../../shared/api/client'
import { useI18n, type TextKey } from '../../../shared/i18n'
import { Button, Checkbox, Dialog, ErrorNotice, Loading, Page, SelectField, TextField, TableScroll } from '../../../shared/ui'
import { SaveStatus } from '../../../shared/ui/SaveStatus'
import { RegionReminders } from '../components/Reminders'
import { OfferHoldSetting } from '../components/OfferHoldSetting'
import { useOfferHold } from '../api/offer-hold'
import { GuardianSettings } from '../components/GuardianSettings'
import { useGuardianAgeLimit } from '../api/guardians'
import { useCatalogue, useRegion, useSaveType, useUpdateRegion } from '../api/catalogue'

type CatalogueType = Schemas['CatalogueTypeResponse']
type TypeRequest = Schemas['AppointmentTypeRequest']
const MODES = ['visit', 'phone_call_back', 'video', 'home_visit'] as const
const POLICIES = ['hidden', 'visible', 'cancelable', 'self_service'] as const

const blank: TypeRequest = {
  name: '',
  profession: '',
  mode: 'visit',
  default_length_minutes: 15,
  // The least the portal may do until the admin chooses more.
  portal_policy: 'hidden',
  min_age_years: null,
  established_contact_only: false,
  instructions: null,
  retired: false,
}

function request(t: CatalogueType): TypeRequest {
  return {
    name: t.name,
    profession: t.profession,
    mode: t.mode,
    default_length_minutes: t.default_length_minutes,
    portal_policy: t.portal_policy,
    min_age_years: t.min_age_years ?? null,
    established_contact_only: t.established_contact_only,
    instructions: t.instructions ?? null,
    retired: t.retired,
  }
}

export function CataloguePage() {
  const { t } = useI18n()
  const catalogue = useCatalogue()
  const region = useRegion()
  const hold = useOfferHold()
  const guardianLimit = useGuardianAgeLimit()
  const save = useSaveType()
  const [editing, setEditing] = useState<{ id: string | null; form: TypeRequest } | null>(null)
  // What the last save in the table or the dialog did, said beside "Ny tidbokstyp".
  const [saved, setSaved] = useState<string | null>(null)
  return (
    <Page title={t('admin.catalogueTitle')} wide>
      <p>{t('admin.catalogueIntro')}</p>
      {region.data && <NotifySetting notify={region.data.notify_on_staff_cancel} />}
      {region.data && <RegionReminders list={region.data.reminders} />}
      {hold.data && <OfferHoldSetting minutes={hold.data.minutes} />}
      {guardianLimit.data && <GuardianSettings years={guardianLimit.data.years} />}
      <ErrorNotice error={catalogue.error ?? region.error ?? save.error} />
      <div className="buttons">
        <Button
          onClick={() => {
            setSaved(null)
            setEditing({ id: null, form: blank })
          }}
        >
          {t('admin.newType')}
        </Button>
        <SaveStatus message={saved} />
      </div>
      {catalogue.isPending && <Loading />}
      {catalogue.data && (
        <TableScroll label={t('admin.catalogueTitle')}>
          <table className="data">
            <thead>
              <tr>
                <th scope="col">{t('admin.name')}</th>
                <th scope="col">{t('admin.profession')}</th>
                <th scope="col">{t('admin.mode')}</th>
                <th scope="col">{t('admin.length')}</th>
                <th scope="col">{t('admin.policy')}</th>
                <th scope="col">{t('admin.minAge')}</th>
                <th scope="col">{t('admin.established')}</th>
                <th scope="col">{t('common.actions')}</th>
              </tr>
            </thead>
            <tbody>
              {catalogue.data.map((x) => (
                <tr key={x.id}>
                  <td>
                    {x.retired ? <del>{x.name}</del> : x.name}
                    {x.retired && ` (${t('admin.retired')})`}
                  </td>
                  <td>{x.profession}</td>
                  <td>{t(`admin.mode.${x.mode}` as TextKey)}</td>
                  <td>{x.default_length_minutes}</td>
                  <td>{t(`admin.policy.${x.portal_policy}` as TextKey)}</td>
                  <td>{x.min_age_years ?? '–'}</td>
                  <td>{x.established_contact_only ? t('common.yes') : t('common.no')}</td>
                  <td>
                    <Button
                      variant="secondary"
                      onClick={() => {
                        setSaved(null)
                        setEditing({ id: x.id, form: request(x) })
                      }}
                      aria-label={`${t('admin.edit')} ${x.name}`}
                    >
                      {t('admin.edit')}
                    </Button>{' '}
                    <Button
                      variant="secondary"
                      disabled={save.isPending}
                      onClick={() => {
                        setSaved(null)
                        void save
                          .mutateAsync({ id: x.id, body: { ...request(x), retired: !x.retired } })
                          .then((done) => setSaved(t(done.retired ? 'admin.typeRetired' : 'admin.typeUnretired', { name: done.name })), () => undefined)
                      }}
                      aria-label={`${x.retired ? t('admin.unretire') : t('admin.retire')} ${x.name}`}
                    >
                      {x.retired ? t('admin.unretire') : t('admin.retire')}
                    </Button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableScroll>
      )}
      <Dialog title={editing?.id ? t('admin.edit') : t('admin.newType')} open={editing !== null} onClose={() => setEditing(null)}>
        {editing && (
          <TypeForm
            initial={editing.form}
            id={editing.id}
            onDone={(done) => {
              setEditing(null)
              setSaved(t('admin.typeSaved', { name: done.name }))
            }}
          />
        )}
      </Dialog>
    </Page>
  )
}

/** Rule 10's switch, saved as soon as it is changed and confirmed beside it. */
function NotifySetting({ notify }: { notify: boolean }) {
  const { t } = useI18n()
  const update = useUpdateRegion()
  // The box follows the click at once; the server's answer confirms it or puts it back.
  const [checked, setChecked] = useState(notify)
  return (
    <div className="inline-save">
      <Checkbox
        label={t('admin.notifyOnStaffCancel')}
        checked={checked}
        onChange={(e) => {
          const next = e.target.checked
          setChecked(next)
          void update.mutateAsync(next).then(
            (region) => setChecked(region.notify_on_staff_cancel),
            () => setChecked(!next),
          )
        }}
      />
      <SaveStatus message={update.isSuccess && !update.isPending ? t(update.data.notify_on_staff_cancel ? 'admin.notifyOnSaved' : 'admin.notifyOffSaved') : null} />
      <ErrorNotice error={update.error} />
    </div>
  )
}

function TypeForm({ initial, id, onDone }: { initial: TypeRequest; id: string | null; onDone: (saved: CatalogueType) => void }) {
  const { t, fieldErrors } = useI18n()
  const save = useSaveType()
  const [form, setForm] = useState(initial)
  const fields = fieldErrors(save.error)
  return (
    <form
      onSubmit={(e) => {
        e.preventDefault()
        void save.mutateAsync({ id, body: form }).then(onDone, () => undefined)
      }}
    >
      <div className="form-grid">
      <TextField label={t('admin.name')} required maxLength={100} value={form.name} error={fields.name} onChange={(e) => setForm({ ...form, name: e.target.value })} />
      <TextField label={t('admin.profession')} required maxLength={100} value={form.profession} error={fields.profession} onChange={(e) => setForm({ ...form, profession: e.target.value })} />
      <SelectField label={t('admin.mode')} value={form.mode} onChange={(e) => setForm({ ...form, mode: e.target.value as TypeRequest['mode'] })}>
        {MODES.map((m) => (
          <option key={m} value={m}>
            {t(`admin.mode.${m}` as TextKey)}
          </option>
        ))}
      </SelectField>
      <TextField
        label={t('admin.length')}
        type="number"
        min={5}
        max={480}
        value={form.default_length_minutes}
        error={fields.default_length_minutes}
        onChange={(e) => setForm({ ...form, default_length_minutes: Number(e.target.value) })}
      />
      <SelectField label={t('admin.policy')} value={form.portal_policy} onChange={(e) => setForm({ ...form, portal_policy: e.target.value as TypeRequest['portal_policy'] })}>
        {POLICIES.map((p) => (
          <option key={p} value={p}>
            {t(`admin.policy.${p}` as TextKey)}
          </option>
        ))}
      </SelectField>
      <TextField
        label={t('admin.minAge')}
        type="number"
        min={0}
        max={130}
        value={form.min_age_years ?? ''}
        onChange={(e) => setForm({ ...form, min_age_years: e.target.value === '' ? null : Number(e.target.value) })}
      />
      <Checkbox label={t('admin.established')} checked={form.established_contact_only ?? false} onChange={(e) => setForm({ ...form, established_contact_only: e.target.checked })} />
      <div className="form-grid__wide">
        <TextField label={t('admin.instructions')} maxLength={1000} value={form.instructions ?? ''} onChange={(e) => setForm({ ...form, instructions: e.target.value || null })} />
      </div>
      </div>
      {!(save.error instanceof ProblemError && save.error.slug === 'validation-failed') && <ErrorNotice error={save.error} />}
      <div className="buttons dialog__footer">
        <Button type="submit" disabled={save.isPending}>
          {t('common.save')}
        </Button>
      </div>
    </form>
  )
}

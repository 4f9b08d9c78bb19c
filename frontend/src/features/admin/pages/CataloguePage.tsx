// The region's appointment-type catalogue: portal policy and eligibility
// (regional admins), and whether staff cancellations notify residents.
import { useState } from 'react'
import { ProblemError, type Schemas } from '../../../shared/api/client'
import { useI18n, type TextKey } from '../../../shared/i18n'
import { Button, Checkbox, Dialog, ErrorNotice, Loading, Page, SelectField, TextField, TableScroll } from '../../../shared/ui'
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
  portal_policy: 'self_service',
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
  const updateRegion = useUpdateRegion()
  const save = useSaveType()
  const [editing, setEditing] = useState<{ id: string | null; form: TypeRequest } | null>(null)
  return (
    <Page title={t('admin.catalogueTitle')} wide>
      <p>{t('admin.catalogueIntro')}</p>
      {region.data && (
        <Checkbox
          label={t('admin.notifyOnStaffCancel')}
          checked={region.data.notify_on_staff_cancel}
          onChange={(e) => updateRegion.mutate(e.target.checked)}
        />
      )}
      <ErrorNotice error={catalogue.error ?? region.error ?? updateRegion.error} />
      <div className="buttons">
        <Button onClick={() => setEditing({ id: null, form: blank })}>{t('admin.newType')}</Button>
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
                    <Button variant="secondary" onClick={() => setEditing({ id: x.id, form: request(x) })} aria-label={`${t('admin.edit')} ${x.name}`}>
                      {t('admin.edit')}
                    </Button>{' '}
                    <Button
                      variant="secondary"
                      onClick={() => save.mutate({ id: x.id, body: { ...request(x), retired: !x.retired } })}
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
        {editing && <TypeForm initial={editing.form} id={editing.id} onDone={() => setEditing(null)} />}
      </Dialog>
    </Page>
  )
}

function TypeForm({ initial, id, onDone }: { initial: TypeRequest; id: string | null; onDone: () => void }) {
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
      <TextField label={t('admin.instructions')} maxLength={1000} value={form.instructions ?? ''} onChange={(e) => setForm({ ...form, instructions: e.target.value || null })} />
      {!(save.error instanceof ProblemError && save.error.slug === 'validation-failed') && <ErrorNotice error={save.error} />}
      <div className="buttons">
        <Button type="submit" disabled={save.isPending}>
          {t('common.save')}
        </Button>
      </div>
    </form>
  )
}

// Rule 19 at the desk: invite a resident to book one type at the unit within
// a window of dates (even a type residents cannot book online themselves),
// and follow the unit's invitations — open, used (and when) or expired. The
// result of an invitation is said in focus beside the form.
import { useState } from 'react'
import type { Schemas } from '../../../shared/api/client'
import { useI18n, type TextKey } from '../../../shared/i18n'
import { addDays, formatDateLong, formatInstant, todayInStockholm } from '../../../shared/lib/dates'
import { Button, ErrorNotice, Loading, Page, Result, SelectField, TableScroll, TextField } from '../../../shared/ui'
import { UnitPicker } from '../../../shared/ui/UnitPicker'
import { useStaffMe } from '../../../shared/auth/staff-me'
import { useInvite, useUnitInvitations } from '../api/invitations'
import { useUnitCatalogue } from '../api/get-unit-catalogue'
import { ResidentField, useResidentCheck } from '../components/ResidentField'
import { fieldCodes, fieldText } from '../lib/field-codes'

export function InvitationsPage() {
  const { t } = useI18n()
  const me = useStaffMe()
  const [unitId, setUnitId] = useState<string | null>(null)
  const list = useUnitInvitations(unitId)
  return (
    <Page title={t('invite.title')} wide>
      <p>{t('invite.intro')}</p>
      <div className="toolbar">{me.data && <UnitPicker me={me.data} value={unitId} onChange={setUnitId} />}</div>
      <ErrorNotice error={me.error} />
      {unitId && <InviteForm key={unitId} unitId={unitId} />}
      <h2>{t('invite.listTitle')}</h2>
      {list.isPending && unitId && <Loading />}
      <ErrorNotice error={list.error} />
      {list.data?.length === 0 && <p>{t('invite.none')}</p>}
      {list.data && list.data.length > 0 && <InvitationTable rows={list.data} />}
    </Page>
  )
}

function InviteForm({ unitId }: { unitId: string }) {
  const { t, lang } = useI18n()
  const catalogue = useUnitCatalogue(unitId)
  const checker = useResidentCheck(unitId)
  const invite = useInvite(unitId)
  const today = todayInStockholm()
  const [pnr, setPnr] = useState('')
  const [type, setType] = useState('')
  const [from, setFrom] = useState(today)
  const [until, setUntil] = useState(addDays(today, 14))
  const [errors, setErrors] = useState<{ pnr?: string; type?: string }>({})
  const [done, setDone] = useState<Schemas['StaffInvitationResponse'] | null>(null)
  const codes = fieldCodes(invite.error)
  const serverField = (field: string) => (codes[field] ? t(fieldText(field, codes[field])) : undefined)
  // Hidden types are never shown to residents: not offered here.
  const types = (catalogue.data ?? []).filter((x) => x.portal_policy !== 'hidden')
  return (
    <form
      className="card"
      noValidate
      aria-labelledby="invite-form"
      onSubmit={(e) => {
        e.preventDefault()
        const gaps = { pnr: pnr.trim() ? undefined : t('staff.pnrRequired'), type: type ? undefined : t('invite.typeRequired') }
        setErrors(gaps)
        if (gaps.pnr || gaps.type) return
        setDone(null)
        void invite.mutateAsync({ personal_identity_number: pnr.trim(), appointment_type_id: type, valid_from: from, valid_until: until }).then((made) => {
          setDone(made)
          setPnr('')
        }, () => undefined)
      }}
    >
      <h2 id="invite-form">{t('invite.formTitle')}</h2>
      {done && (
        <Result id={done.id}>
          {t('invite.done', {
            who: done.resident.name ?? done.resident.personal_identity_number,
            type: done.appointment_type.name,
            from: formatDateLong(done.valid_from, lang),
            until: formatDateLong(done.valid_until, lang),
          })}
        </Result>
      )}
      <div className="form-grid">
        <div className="form-grid__wide">
          <ResidentField
            checker={checker}
            value={pnr}
            onChange={(value) => {
              setPnr(value)
              setErrors({ ...errors, pnr: undefined })
            }}
            error={errors.pnr ?? serverField('personal_identity_number')}
          />
        </div>
        <SelectField label={t('common.type')} value={type} error={errors.type} onChange={(e) => setType(e.target.value)}>
          <option value="">{t('invite.chooseType')}</option>
          {types.map((x) => (
            <option key={x.id} value={x.id}>
              {x.name}
            </option>
          ))}
        </SelectField>
        <TextField label={t('invite.from')} type="date" value={from} min={today} onChange={(e) => setFrom(e.target.value)} error={serverField('valid_from')} />
        <TextField label={t('invite.until')} type="date" value={until} min={from} onChange={(e) => setUntil(e.target.value)} error={serverField('valid_until')} />
      </div>
      {Object.keys(codes).length === 0 && <ErrorNotice error={invite.error} />}
      <div className="buttons">
        <Button type="submit" disabled={invite.isPending}>
          {t('invite.send')}
        </Button>
      </div>
    </form>
  )
}

function InvitationTable({ rows }: { rows: Schemas['StaffInvitationResponse'][] }) {
  const { t, lang } = useI18n()
  return (
    <TableScroll label={t('invite.listTitle')}>
      <table className="data">
        <thead>
          <tr>
            <th scope="col">{t('common.resident')}</th>
            <th scope="col">{t('common.type')}</th>
            <th scope="col">{t('invite.window')}</th>
            <th scope="col">{t('invite.status')}</th>
            <th scope="col">{t('invite.sent')}</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr key={r.id}>
              <td>
                {r.resident.name ?? ''} <span className="muted">{r.resident.personal_identity_number}</span>
              </td>
              <td>{r.appointment_type.name}</td>
              <td>
                {formatDateLong(r.valid_from, lang)} – {formatDateLong(r.valid_until, lang)}
              </td>
              <td>
                {t(`invite.state.${r.status}` as TextKey)}
                {r.used_at && ` (${formatInstant(r.used_at, lang)})`}
              </td>
              <td>{formatInstant(r.created_at, lang)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </TableScroll>
  )
}

import { useEffect, useRef, useState } from 'react'
import { ProblemError, type Schemas } from '../../../shared/api/client'
import { useI18n } from '../../../shared/i18n'
import { Button, Checkbox, ErrorNotice, Loading, Page, Result, TextField } from '../../../shared/ui'
import { useNotificationSettings } from '../api/get-notification-settings'
import { useUpdateNotificationSettings } from '../api/update-notification-settings'

export function SettingsPage() {
  const { t } = useI18n()
  const settings = useNotificationSettings()
  return (
    <Page title={t('settings.title')}>
      <p>{t('settings.intro')}</p>
      {settings.isPending && <Loading />}
      <ErrorNotice error={settings.error} />
      {settings.data && <SettingsForm initial={settings.data} />}
    </Page>
  )
}

function SettingsForm({ initial }: { initial: Schemas['NotificationSettings'] }) {
  const { t, fieldErrors } = useI18n()
  const update = useUpdateNotificationSettings()
  const [form, setForm] = useState(initial)
  const ref = useRef<HTMLFormElement>(null)
  // A refused save: focus goes to the first field to correct.
  useEffect(() => {
    if (update.error) ref.current?.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus()
  }, [update.error])
  const fields = fieldErrors(update.error)
  return (
    <form
      ref={ref}
      noValidate
      onSubmit={(e) => {
        e.preventDefault()
        update.mutate(form, { onSuccess: (saved) => setForm(saved) })
      }}
    >
      <TextField
        label={t('settings.email')}
        type="email"
        autoComplete="email"
        value={form.email ?? ''}
        error={fields.email}
        onChange={(e) => setForm({ ...form, email: e.target.value })}
      />
      <Checkbox label={t('settings.emailEnabled')} checked={form.email_enabled} onChange={(e) => setForm({ ...form, email_enabled: e.target.checked })} />
      <TextField
        label={t('settings.phone')}
        type="tel"
        autoComplete="tel"
        value={form.phone ?? ''}
        error={fields.phone}
        onChange={(e) => setForm({ ...form, phone: e.target.value })}
      />
      <Checkbox label={t('settings.smsEnabled')} checked={form.sms_enabled} onChange={(e) => setForm({ ...form, sms_enabled: e.target.checked })} />
      <fieldset>
        <legend>{t('settings.reminders')}</legend>
        <p className="field__hint">{t('settings.remindersIntro')}</p>
        {form.email_enabled && (
          <Checkbox
            label={t('settings.emailReminders')}
            checked={form.email_reminders ?? true}
            onChange={(e) => setForm({ ...form, email_reminders: e.target.checked })}
          />
        )}
        {form.sms_enabled && (
          <Checkbox
            label={t('settings.smsReminders')}
            checked={form.sms_reminders ?? true}
            onChange={(e) => setForm({ ...form, sms_reminders: e.target.checked })}
          />
        )}
        {!form.email_enabled && !form.sms_enabled && <p>{t('settings.remindersNeedChannel')}</p>}
      </fieldset>
      {update.error instanceof ProblemError && update.error.slug !== 'validation-failed' && <ErrorNotice error={update.error} />}
      <div className="buttons">
        <Button type="submit" disabled={update.isPending}>
          {t('common.save')}
        </Button>
      </div>
      {update.isSuccess && <Result id={String(update.submittedAt)}>{t('settings.saved')}</Result>}
    </form>
  )
}

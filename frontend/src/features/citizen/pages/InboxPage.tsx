import { useI18n } from '../../../shared/i18n'
import { formatInstant } from '../../../shared/lib/dates'
import { Button, ErrorNotice, Loading, Page } from '../../../shared/ui'
import { useInbox } from '../api/get-inbox'
import { useMarkRead } from '../api/mark-read'

export function InboxPage() {
  const { t, lang } = useI18n()
  const inbox = useInbox()
  const markRead = useMarkRead()
  return (
    <Page title={t('inbox.title')}>
      {inbox.isPending && <Loading />}
      <ErrorNotice error={inbox.error ?? markRead.error} />
      {inbox.data?.length === 0 && <p>{t('inbox.empty')}</p>}
      <ul className="list">
        {inbox.data?.map((m) => (
          <li key={m.id} className="card">
            <details
              onToggle={(e) => {
                if ((e.target as HTMLDetailsElement).open && !m.read) markRead.mutate(m.id)
              }}
            >
              <summary>
                {!m.read && <strong>{t('inbox.unread')}: </strong>}
                {m.subject} <span className="muted">({formatInstant(m.created_at, lang)})</span>
              </summary>
              <p style={{ whiteSpace: 'pre-line' }}>{m.body}</p>
              {!m.read && (
                <Button variant="secondary" onClick={() => markRead.mutate(m.id)}>
                  {t('inbox.markRead')}
                </Button>
              )}
            </details>
          </li>
        ))}
      </ul>
    </Page>
  )
}

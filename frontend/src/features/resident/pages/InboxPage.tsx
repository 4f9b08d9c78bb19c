// The inbox: booking confirmations and notices. Opening a message marks it
// read (focus stays on it; its "Oläst" goes); if that fails, a button tries
// again, and a short confirmation then takes the button's place and focus.
// Phone numbers in a message can be called.
import { useState } from 'react'
import { useI18n } from '../../../shared/i18n'
import { formatInstant } from '../../../shared/lib/dates'
import { Button, ErrorNotice, Loading, Page, Result, TextWithPhones } from '../../../shared/ui'
import { useInbox } from '../api/get-inbox'
import { useMarkRead } from '../api/mark-read'

export function InboxPage() {
  const { t, lang } = useI18n()
  const inbox = useInbox()
  const markRead = useMarkRead()
  const [marked, setMarked] = useState<string | null>(null)
  const unread = inbox.data?.filter((m) => !m.read).length ?? 0
  return (
    <Page title={t('inbox.title')}>
      {inbox.isPending && <Loading />}
      <ErrorNotice error={inbox.error} />
      {inbox.data?.length === 0 && <p>{t('inbox.empty')}</p>}
      {inbox.data && inbox.data.length > 0 && <p>{unread === 0 ? t('inbox.allRead') : unread === 1 ? t('inbox.unreadOne') : t('inbox.unreadCount', { n: unread })}</p>}
      <ul className="list">
        {inbox.data?.map((m) => (
          <li key={m.id} className={m.read ? 'card' : 'card card--unread'}>
            <details
              onToggle={(e) => {
                if ((e.target as HTMLDetailsElement).open && !m.read) markRead.mutate(m.id)
              }}
            >
              <summary>
                {!m.read && <strong>{t('inbox.unread')}: </strong>}
                {m.subject} <span className="muted">({formatInstant(m.created_at, lang)})</span>
              </summary>
              <p className="message-body">
                <TextWithPhones text={m.body} />
              </p>
              {/* Opening marks it read; when that failed, the message says so and offers a button. */}
              {!m.read && markRead.isError && markRead.variables === m.id && <ErrorNotice error={markRead.error} />}
              {!m.read && markRead.isError && markRead.variables === m.id && (
                <Button variant="secondary" disabled={markRead.isPending} onClick={() => void markRead.mutateAsync(m.id).then(() => setMarked(m.id), () => undefined)}>
                  {t('inbox.markRead')}
                </Button>
              )}
              {m.read && marked === m.id && <Result id={m.id}>{t('inbox.marked')}</Result>}
            </details>
          </li>
        ))}
      </ul>
    </Page>
  )
}

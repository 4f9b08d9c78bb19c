// The dev login: a persona picker, shown when the server's dev login is on.
import { useMutation, useQuery } from '@tanstack/react-query'
import { useNavigate } from 'react-router-dom'
import { api, call, type Schemas } from '../../shared/api/client'
import { homeOf, useSession } from '../../shared/auth/session'
import { useI18n, type TextKey } from '../../shared/i18n'
import { Button, ErrorNotice, Loading, Notice, Page } from '../../shared/ui'

export function LoginPage() {
  const { t } = useI18n()
  const { signIn } = useSession()
  const navigate = useNavigate()
  const personas = useQuery({ queryKey: ['personas'], queryFn: () => call(api.GET('/api/v1/dev/personas')), retry: false })
  const login = useMutation({
    mutationFn: (persona: string) => call(api.POST('/api/v1/dev/login', { body: { persona } })),
    onSuccess: (token) => {
      signIn({ token: token.access_token, role: token.role, name: token.name })
      navigate(homeOf(token.role))
    },
  })
  const group = (residents: boolean) => (personas.data ?? []).filter((p) => (p.role === 'resident') === residents)
  const list = (items: Schemas['PersonaResponse'][]) => (
    <ul className="list">
      {items.map((p) => (
        <li key={p.id} className="card">
          <h3>{p.name}</h3>
          <p className="muted">
            {t(`role.${p.role}` as TextKey)}. {p.description}
          </p>
          <Button onClick={() => login.mutate(p.id)} disabled={login.isPending} aria-label={t('login.as', { name: p.name })}>
            {t('login.as', { name: p.name })}
          </Button>
        </li>
      ))}
    </ul>
  )
  return (
    <Page title={t('login.title')}>
      {personas.isPending && <Loading />}
      {personas.isError && <Notice kind="warning">{t('login.disabled')}</Notice>}
      <ErrorNotice error={login.error} />
      {personas.data && (
        <>
          <p>{t('login.intro')}</p>
          <h2>{t('login.residents')}</h2>
          {list(group(true))}
          <h2>{t('login.staff')}</h2>
          {list(group(false))}
        </>
      )}
    </Page>
  )
}

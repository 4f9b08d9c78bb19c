// Rule 17: whom a guardian books for. Shown to residents with children in
// the population register: themself, or a child under the age limit. The
// choice takes effect with "Byt" (a change of context only on request,
// WCAG 3.2.2): the whole portal is then the child's (bookings, inbox, log),
// what was loaded or typed for the other person is dropped, and the
// bookings page opens. Children past the limit are named, on the bookings
// page, with why they are not offered. While a child is acted for the bar
// says so on every page, even before the list of children has arrived.
import { useEffect, useId, useState } from 'react'
import { useLocation, useNavigate } from 'react-router-dom'
import { useQueryClient, type QueryClient } from '@tanstack/react-query'
import { setActingFor, useActingFor } from '../../../shared/auth/acting'
import { useI18n } from '../../../shared/i18n'
import { formatDateLong } from '../../../shared/lib/dates'
import { clearDrafts } from '../../../shared/lib/drafts'
import { Button } from '../../../shared/ui'
import { childrenKey, useMyChildren } from '../api/children'

/** Drops everything loaded for one person but the list of children. */
function forgetOthers(queries: QueryClient) {
  queries.removeQueries({ predicate: (q) => q.queryKey[0] !== childrenKey[0] || q.queryKey[1] !== childrenKey[1] })
}

export function ActingForSwitcher({ self }: { self: string }) {
  const { t, lang } = useI18n()
  const id = useId()
  const acting = useActingFor()
  const children = useMyChildren(true)
  const queries = useQueryClient()
  const navigate = useNavigate()
  const { pathname } = useLocation()
  const list = children.data ?? []
  const current = list.find((c) => c.id === acting && c.may_act)
  const [choice, setChoice] = useState(acting ?? '')
  useEffect(() => setChoice(current?.id ?? ''), [current?.id])

  // A child no longer acted for (the birthday has come, the register
  // changed) or a list that cannot be had: back to oneself.
  useEffect(() => {
    if (acting && ((children.isSuccess && !current) || children.isError)) {
      setActingFor(null)
      forgetOthers(queries)
    }
  }, [acting, children.isSuccess, children.isError, current, queries])

  if (acting && !current) {
    return (
      <div className="acting acting--child">
        <p className="acting__note">{t('acting.pending')}</p>
      </div>
    )
  }
  if (list.length === 0) return null
  const actable = list.filter((c) => c.may_act)
  const ended = list.filter((c) => !c.may_act)
  return (
    <div className={current ? 'acting acting--child' : 'acting'}>
      <form
        className="acting__row"
        onSubmit={(e) => {
          e.preventDefault()
          if (choice === (current?.id ?? '')) return
          setActingFor(choice || null)
          // What was loaded or typed for one person is not carried to the other.
          clearDrafts()
          forgetOthers(queries)
          navigate('/bookings')
        }}
      >
        <label htmlFor={id}>{t('acting.label')}</label>
        <select id={id} value={choice} onChange={(e) => setChoice(e.target.value)}>
          <option value="">{t('acting.self', { name: self })}</option>
          {actable.map((c) => (
            <option key={c.id} value={c.id}>
              {t('acting.child', { name: c.name, age: c.age })}
            </option>
          ))}
        </select>
        <Button type="submit" variant="secondary">
          {t('acting.switch')}
        </Button>
      </form>
      {current && (
        <p className="acting__note">
          {t('acting.note', { name: current.name })}
          {pathname === '/bookings' && <> {t('acting.until', { name: current.name, until: formatDateLong(current.access_ends_on, lang) })}</>}
        </p>
      )}
      {!current &&
        pathname === '/bookings' &&
        ended.map((c) => (
          <p key={c.id} className="acting__note muted">
            {t('acting.ended', { name: c.name, age: c.age })}
          </p>
        ))}
    </div>
  )
}

// Rule 17: whom a guardian books for. Shown to residents with children in
// the population register: themself, or a child under the age limit. The
// whole portal then is the child's (bookings, inbox, log); switching clears
// what was loaded for the other person and returns to the bookings. Children
// past the limit are named, on the bookings page, with why they are not
// offered.
import { useEffect, useId } from 'react'
import { useLocation, useNavigate } from 'react-router-dom'
import { useQueryClient } from '@tanstack/react-query'
import { setActingFor, useActingFor } from '../../../shared/auth/acting'
import { clearDrafts } from '../../../shared/lib/drafts'
import { useI18n } from '../../../shared/i18n'
import { formatDateLong } from '../../../shared/lib/dates'
import { childrenKey, useMyChildren } from '../api/children'

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

  // A child no longer acted for (the birthday has come): back to oneself.
  useEffect(() => {
    if (acting && children.isSuccess && !current) {
      setActingFor(null)
      queries.removeQueries({ predicate: (q) => q.queryKey[0] !== childrenKey[0] || q.queryKey[1] !== childrenKey[1] })
    }
  }, [acting, children.isSuccess, current, queries])

  if (list.length === 0) return null
  const actable = list.filter((c) => c.may_act)
  const ended = list.filter((c) => !c.may_act)
  return (
    <div className={current ? 'acting acting--child' : 'acting'}>
      <div className="acting__row">
        <label htmlFor={id}>{t('acting.label')}</label>
        <select
          id={id}
          value={current?.id ?? ''}
          onChange={(e) => {
            setActingFor(e.target.value || null)
            // What was typed for one person is not carried to the other.
            clearDrafts()
            queries.removeQueries({ predicate: (q) => q.queryKey[0] !== childrenKey[0] || q.queryKey[1] !== childrenKey[1] })
            navigate('/bookings')
          }}
        >
          <option value="">{t('acting.self', { name: self })}</option>
          {actable.map((c) => (
            <option key={c.id} value={c.id}>
              {t('acting.child', { name: c.name, age: c.age })}
            </option>
          ))}
        </select>
      </div>
      {current && (
        <p className="acting__note" role="status">
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

// Rule 17: whom a guardian books for, on "Bokade tider" under the heading
// (the header's part is in ActingChip.tsx), for residents
//   with children in the population register: themself, or a child under the
//   age limit. The choice takes effect with "Byt" (a change of context only
//   on request, WCAG 3.2.2): the whole portal is then the child's (bookings,
//   inbox, log), what was loaded or typed for the other person is dropped,
//   and the bookings open. Children past the limit are named with why they
//   are not offered.
import { useEffect, useId, useState } from 'react'
import { useLocation, useNavigate } from 'react-router-dom'
import { useQueryClient } from '@tanstack/react-query'
import { setActingFor, useActingFor } from '../../../shared/auth/acting'
import { useI18n } from '../../../shared/i18n'
import { formatDateLong } from '../../../shared/lib/dates'
import { clearDrafts } from '../../../shared/lib/drafts'
import { Button } from '../../../shared/ui'
import { useMyChildren } from '../api/children'

import { forgetOthers } from './ActingChip'

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

  if (list.length === 0) return null
  const actable = list.filter((c) => c.may_act)
  const ended = list.filter((c) => !c.may_act)
  return (
    <section className={current ? 'acting acting--child' : 'acting'} aria-labelledby={`${id}-label`}>
      <form
        className="acting__row"
        onSubmit={(e) => {
          e.preventDefault()
          if (choice === (current?.id ?? '')) return
          setActingFor(choice || null)
          // What was loaded or typed for one person is not carried to the other.
          clearDrafts()
          forgetOthers(queries)
          if (pathname !== '/bookings') navigate('/bookings')
        }}
      >
        <label id={`${id}-label`} htmlFor={id}>
          {t('acting.label')}
        </label>
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
          {t('acting.note', { name: current.name })} {t('acting.until', { name: current.name, until: formatDateLong(current.access_ends_on, lang) })}
        </p>
      )}
      {ended.map((c) => (
        <p key={c.id} className="acting__note muted">
          {t('acting.ended', { name: c.name, age: c.age })}
        </p>
      ))}
    </section>
  )
}

// Small accessible building blocks shared by every feature.
import { forwardRef, useEffect, useId, useRef, type ButtonHTMLAttributes, type InputHTMLAttributes, type ReactNode, type SelectHTMLAttributes, type TextareaHTMLAttributes } from 'react'
import { useI18n } from '../i18n'
import { splitPhones, telHref } from '../lib/phone'

/** A page: sets the document title and moves focus to the heading, so a
 * route change is announced to screen readers. */
export function Page({ title, children, wide = false }: { title: string; children: ReactNode; wide?: boolean }) {
  const heading = useRef<HTMLHeadingElement>(null)
  const { t } = useI18n()
  useEffect(() => {
    document.title = `${title} – ${t('app.name')}`
    heading.current?.focus()
  }, [title, t])
  return (
    <div className={wide ? 'page page--wide' : 'page'}>
      <h1 ref={heading} tabIndex={-1}>
        {title}
      </h1>
      {children}
    </div>
  )
}

type ButtonProps = ButtonHTMLAttributes<HTMLButtonElement> & { variant?: 'primary' | 'secondary' | 'danger' | 'link' }

export function Button({ variant = 'primary', className, type = 'button', ...props }: ButtonProps) {
  return <button type={type} className={`button button--${variant} ${className ?? ''}`.trim()} {...props} />
}

interface FieldShell {
  label: string
  hint?: string
  error?: string
  children: (ids: { id: string; describedBy: string | undefined; invalid: boolean }) => ReactNode
}

function Shell({ label, hint, error, children }: FieldShell) {
  const id = useId()
  const hintId = hint ? `${id}-hint` : undefined
  const errorId = error ? `${id}-error` : undefined
  const describedBy = [hintId, errorId].filter(Boolean).join(' ') || undefined
  return (
    <div className={error ? 'field field--error' : 'field'}>
      <label htmlFor={id}>{label}</label>
      {hint && (
        <p className="field__hint" id={hintId}>
          {hint}
        </p>
      )}
      {error && (
        <p className="field__error" id={errorId}>
          {error}
        </p>
      )}
      {children({ id, describedBy, invalid: Boolean(error) })}
    </div>
  )
}

export function TextField({ label, hint, error, ...input }: InputHTMLAttributes<HTMLInputElement> & { label: string; hint?: string; error?: string }) {
  return (
    <Shell label={label} hint={hint} error={error}>
      {({ id, describedBy, invalid }) => <input id={id} aria-describedby={describedBy} aria-invalid={invalid || undefined} {...input} />}
    </Shell>
  )
}

/** A text area whose element a page can reach (forwardRef: Preact passes no
 * `ref` prop to a function component, unlike React 19). */
export const TextArea = forwardRef<HTMLTextAreaElement, TextareaHTMLAttributes<HTMLTextAreaElement> & { label: string; hint?: string; error?: string }>(
  function TextArea({ label, hint, error, ...input }, ref) {
    return (
      <Shell label={label} hint={hint} error={error}>
        {({ id, describedBy, invalid }) => <textarea ref={ref} id={id} aria-describedby={describedBy} aria-invalid={invalid || undefined} {...input} />}
      </Shell>
    )
  },
)

export function SelectField({ label, hint, error, children, ...select }: SelectHTMLAttributes<HTMLSelectElement> & { label: string; hint?: string; error?: string }) {
  return (
    <Shell label={label} hint={hint} error={error}>
      {({ id, describedBy, invalid }) => (
        <select id={id} aria-describedby={describedBy} aria-invalid={invalid || undefined} {...select}>
          {children}
        </select>
      )}
    </Shell>
  )
}

export function Checkbox({ label, error, ...input }: InputHTMLAttributes<HTMLInputElement> & { label: string; error?: string }) {
  const id = useId()
  return (
    <div className={error ? 'checkbox field--error' : 'checkbox'}>
      {error && (
        <p className="field__error" id={`${id}-error`}>
          {error}
        </p>
      )}
      <input type="checkbox" id={id} aria-describedby={error ? `${id}-error` : undefined} {...input} />
      <label htmlFor={id}>{label}</label>
    </div>
  )
}

/** A polite status message, or an assertive one for errors. */
export function Notice({ kind = 'info', children }: { kind?: 'info' | 'success' | 'error' | 'warning'; children: ReactNode }) {
  return (
    <div className={`notice notice--${kind}`} role={kind === 'error' ? 'alert' : 'status'}>
      {children}
    </div>
  )
}

/** A problem from the API, in words. */
export function ErrorNotice({ error }: { error: unknown }) {
  const { problem } = useI18n()
  if (!error) return null
  return <Notice kind="error">{problem(error)}</Notice>
}

export function Loading() {
  const { t } = useI18n()
  return (
    <p className="loading" role="status">
      {t('app.loading')}
    </p>
  )
}

/** A modal dialog on the native <dialog>: focus is trapped and Escape closes. */
export function Dialog({ title, open, onClose, children }: { title: string; open: boolean; onClose: () => void; children: ReactNode }) {
  const ref = useRef<HTMLDialogElement>(null)
  const titleId = useId()
  const { t } = useI18n()
  useEffect(() => {
    const dialog = ref.current
    if (!dialog) return
    if (open && !dialog.open) dialog.showModal()
    if (!open && dialog.open) dialog.close()
  }, [open])
  return (
    <dialog ref={ref} className="dialog" aria-labelledby={titleId} onClose={onClose}>
      <div className="dialog__header">
        <h2 id={titleId}>{title}</h2>
        <Button variant="secondary" onClick={onClose}>
          {t('common.close')}
        </Button>
      </div>
      {open && children}
    </dialog>
  )
}

/** A wide table that scrolls sideways on small screens; focusable so that
 * keyboard users can scroll it too. */
export function TableScroll({ label, children }: { label: string; children: ReactNode }) {
  return (
    // eslint-disable-next-line jsx-a11y/no-noninteractive-tabindex
    <div className="table-scroll" role="region" aria-label={label} tabIndex={0}>
      {children}
    </div>
  )
}

/** A phone number that a phone can call. */
export function PhoneLink({ phone }: { phone: string }) {
  const href = telHref(phone)
  return href ? (
    <a href={href} className="phone">
      {phone}
    </a>
  ) : (
    <>{phone}</>
  )
}

/** A translated text whose {phone} becomes a phone link. */
export function TextWithPhone({ text, phone }: { text: string; phone: string }) {
  const [before, ...rest] = text.split('{phone}')
  if (rest.length === 0) return <>{text}</>
  return (
    <>
      {before}
      <PhoneLink phone={phone} />
      {rest.join(phone)}
    </>
  )
}

/** The outcome of a person's action, shown where they are and given focus
 * (which scrolls it into view and has it read out). Focus moves after the
 * effects of the same render, so a closing dialog cannot take it back.
 * A new `id` (another outcome) takes focus again. */
export function Result({ id, kind = 'success', children }: { id: string; kind?: 'success' | 'error'; children: ReactNode }) {
  const ref = useRef<HTMLDivElement>(null)
  useEffect(() => {
    const timer = setTimeout(() => {
      ref.current?.focus({ preventScroll: true })
      ref.current?.scrollIntoView({ block: 'center' })
    }, 0)
    return () => clearTimeout(timer)
  }, [id])
  return (
    <div ref={ref} tabIndex={-1} className={`notice notice--${kind} result`}>
      {children}
    </div>
  )
}

/** Running text (a message body) with its phone numbers as links. */
export function TextWithPhones({ text }: { text: string }) {
  return (
    <>
      {splitPhones(text).map((part, i) => ('phone' in part ? <PhoneLink key={i} phone={part.phone} /> : part.text))}
    </>
  )
}

// A question before a step that cannot be taken back: a modal alert dialog on
// the native <dialog> (focus trapped, Escape closes), with the safe choice
// focused first and focus returned to the button that opened it.
import { useEffect, useId, useRef, type ReactNode } from 'react'
import { useI18n } from '../i18n'
import { Button } from './index'

interface Props {
  open: boolean
  title: string
  /** What will happen, and what the resident will be told. */
  children: ReactNode
  confirmLabel: string
  onConfirm: () => void
  onCancel: () => void
  pending?: boolean
  /** An error from the confirmed action, shown inside the dialog. */
  error?: ReactNode
}

export function ConfirmDialog({ open, title, children, confirmLabel, onConfirm, onCancel, pending = false, error }: Props) {
  const ref = useRef<HTMLDialogElement>(null)
  const cancelRef = useRef<HTMLButtonElement>(null)
  const opener = useRef<Element | null>(null)
  const titleId = useId()
  const bodyId = useId()
  const { t } = useI18n()
  useEffect(() => {
    const dialog = ref.current
    if (!dialog) return
    if (open && !dialog.open) {
      opener.current = document.activeElement
      dialog.showModal()
      cancelRef.current?.focus()
    }
    if (!open && dialog.open) dialog.close()
  }, [open])
  // Back to the trigger, wherever the dialog was closed from (Escape, Avbryt,
  // or the action's end); the browser does not always do it for nested dialogs.
  const restore = () => {
    const back = opener.current
    opener.current = null
    if (back instanceof HTMLElement && back.isConnected) back.focus()
  }
  return (
    <dialog
      ref={ref}
      className="dialog dialog--confirm"
      role="alertdialog"
      aria-modal="true"
      aria-labelledby={titleId}
      aria-describedby={bodyId}
      onClose={(e) => {
        // React passes a dialog's close on to the dialogs around it; this one is ours.
        e.stopPropagation()
        restore()
        // Escape closes the dialog by itself: tell the owner.
        if (open) onCancel()
      }}
    >
      <h2 id={titleId}>{title}</h2>
      <div id={bodyId}>{open && children}</div>
      {open && error}
      <div className="buttons">
        <button ref={cancelRef} type="button" className="button button--secondary" onClick={onCancel}>
          {t('common.cancel')}
        </button>
        <Button variant="danger" onClick={onConfirm} disabled={pending}>
          {confirmLabel}
        </Button>
      </div>
    </dialog>
  )
}

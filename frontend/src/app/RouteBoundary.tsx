// The frame around a lazily loaded page: an accessible loading state while
// its chunk arrives, and a way out when it cannot arrive (offline, or a
// chunk of an older build gone after a deploy).
import { Component, Suspense, type ReactNode } from 'react'
import { useLocation } from 'react-router-dom'
import { useI18n } from '../shared/i18n'
import { Button, Loading, Notice } from '../shared/ui'

function LoadFailed() {
  const { t } = useI18n()
  return (
    <div className="page">
      <Notice kind="error">{t('app.loadFailed')}</Notice>
      <Button onClick={() => window.location.reload()}>{t('app.reload')}</Button>
    </div>
  )
}

class Boundary extends Component<{ children: ReactNode }, { failed: boolean }> {
  override state = { failed: false }

  static getDerivedStateFromError() {
    return { failed: true }
  }

  override render() {
    return this.state.failed ? <LoadFailed /> : this.props.children
  }
}

export function RouteBoundary({ children }: { children: ReactNode }) {
  // A new path gets a fresh boundary, so one failed page does not stick.
  const { pathname } = useLocation()
  return (
    <Boundary key={pathname}>
      <Suspense
        fallback={
          <div className="page">
            <Loading />
          </div>
        }
      >
        {children}
      </Suspense>
    </Boundary>
  )
}

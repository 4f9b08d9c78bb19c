import { options } from 'preact'
import { StrictMode } from 'react'
import { createRoot } from 'react-dom/client'
import { App } from './app/App'
import './app/styles.css'

// The app runs on Preact (vite.config.ts). Preact runs a render's effects a
// frame later (requestAnimationFrame, then a timeout); React runs them before
// it handles the next input. An effect that picks a default from data just
// loaded (the practitioner of the staff book) would then overwrite a choice
// made within that frame: the choice was lost in about one try in four.
// Running effects in a microtask after the render keeps React's order.
options.requestAnimationFrame = (flush) => queueMicrotask(flush)

createRoot(document.getElementById('root') as HTMLElement).render(
  <StrictMode>
    <App />
  </StrictMode>,
)

// The resident's pages: one chunk, loaded only when a resident route is
// shown (scripts/check-bundle.mjs holds it free of staff and admin code).
export { AccessLogPage } from '../../features/citizen/pages/AccessLogPage'
export { BookPage } from '../../features/citizen/pages/BookPage'
export { InboxPage } from '../../features/citizen/pages/InboxPage'
export { MyBookingsPage } from '../../features/citizen/pages/MyBookingsPage'
export { RebookPage } from '../../features/citizen/pages/RebookPage'
export { SettingsPage } from '../../features/citizen/pages/SettingsPage'
export { UnitPage } from '../../features/citizen/pages/UnitPage'
export { UnitsPage } from '../../features/citizen/pages/UnitsPage'

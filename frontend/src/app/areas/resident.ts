// The resident's pages: one chunk, loaded only when a resident route is
// shown (scripts/check-bundle.mjs holds it free of staff and admin code).
export { AccessLogPage } from '../../features/resident/pages/AccessLogPage'
export { BookPage } from '../../features/resident/pages/BookPage'
export { InboxPage } from '../../features/resident/pages/InboxPage'
export { InvitationPage } from '../../features/resident/pages/InvitationPage'
export { MyBookingsPage } from '../../features/resident/pages/MyBookingsPage'
export { RebookPage } from '../../features/resident/pages/RebookPage'
export { SettingsPage } from '../../features/resident/pages/SettingsPage'
export { UnitPage } from '../../features/resident/pages/UnitPage'
export { UnitsPage } from '../../features/resident/pages/UnitsPage'

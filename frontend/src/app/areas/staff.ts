// The staff pages (appointment book, schedule, cancellations): one chunk.
export { AppointmentBookPage } from '../../features/staff/pages/AppointmentBookPage'
export { CancellationsPage } from '../../features/staff/pages/CancellationsPage'
export { SchedulePage } from '../../features/staff/pages/SchedulePage'
export { InvitationsPage } from '../../features/staff/pages/InvitationsPage'

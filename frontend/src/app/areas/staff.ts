// The staff pages (appointment book, schedule, cancellations): one chunk.
export { BookWeekPage } from '../../features/staff/pages/BookWeekPage'
export { CancellationsPage } from '../../features/staff/pages/CancellationsPage'
export { SchedulePage } from '../../features/staff/pages/SchedulePage'

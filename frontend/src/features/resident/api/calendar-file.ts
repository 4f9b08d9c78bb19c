// Rule 18: a booking's calendar file, fetched with the resident's token and
// handed to the browser as a download ("tid.ics"), which phones open in
// their calendar.
import { api, call } from '../../../shared/api/client'

export const getCalendarFile = (bookingId: string) =>
  call(api.GET('/api/v1/me/bookings/{booking_id}/calendar', { params: { path: { booking_id: bookingId } }, parseAs: 'text' }))

export async function downloadCalendarFile(bookingId: string) {
  const text = await getCalendarFile(bookingId)
  const url = URL.createObjectURL(new Blob([text as string], { type: 'text/calendar' }))
  const link = document.createElement('a')
  link.href = url
  link.download = 'tid.ics'
  document.body.append(link)
  link.click()
  link.remove()
  setTimeout(() => URL.revokeObjectURL(url), 10_000)
}

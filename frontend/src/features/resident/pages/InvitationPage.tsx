// Rule 19: booking with an invitation (öppen kallelse) on one page — what the
// unit invites to and until when, its terms to confirm, the dates and times
// the invitation covers, the reason for visit, and "Boka". The result takes
// focus in place of the form; an invitation used or expired says so in
// Swedish and leads back to the bookings.
import { useState } from 'react'
import { Link, useParams } from 'react-router-dom'
import type { Schemas } from '../../../shared/api/client'
import { useI18n } from '../../../shared/i18n'
import { formatDateLong } from '../../../shared/lib/dates'
import { Button, Checkbox, ErrorNotice, Loading, Notice, Page, Result, TextArea } from '../../../shared/ui'
import { useUnit } from '../api/get-unit'
import { useBookInvited, useInvitation, useInvitationDates, useInvitations, useInvitationSlots } from '../api/invitations'
import { BookingCalendar } from '../components/BookingCalendar'
import { TimePicker } from '../components/TimePicker'

type Booking = Schemas['BookingResponse']

export function InvitationPage() {
  const { invitationId = '' } = useParams()
  const { t, lang } = useI18n()
  const invitation = useInvitation(invitationId)
  const [booked, setBooked] = useState<Booking | null>(null)
  if (booked) {
    return (
      <Page title={t('invitation.doneTitle')}>
        <Result id={booked.id}>
          {t('invitation.done', { when: t('bookings.at', { date: formatDateLong(booked.local_date, lang), time: booked.local_start_time }), unit: booked.unit.name })}
        </Result>
        <Link to="/bookings">{t('book.toBookings')}</Link>
      </Page>
    )
  }
  return (
    <Page title={invitation.data ? t('invitation.title', { type: invitation.data.appointment_type.name }) : t('invitation.titlePlain')}>
      {invitation.isPending && <Loading />}
      {invitation.error != null && (
        <>
          <ErrorNotice error={invitation.error} />
          <Link to="/bookings">{t('book.toBookings')}</Link>
        </>
      )}
      {invitation.data && <InvitationForm invitation={invitation.data} onBooked={setBooked} />}
    </Page>
  )
}

function InvitationForm({ invitation, onBooked }: { invitation: Schemas['InvitationResponse']; onBooked: (b: Booking) => void }) {
  const { t, lang, fieldErrors } = useI18n()
  const unit = useUnit(invitation.unit.id)
  const terms = unit.data?.services.find((s) => s.service === 'book_online')
  const dates = useInvitationDates(invitation.id, true)
  const [date, setDate] = useState<string | null>(null)
  const slots = useInvitationSlots(invitation.id, date)
  const [slot, setSlot] = useState<string | null>(null)
  const [accepted, setAccepted] = useState(false)
  const [reason, setReason] = useState('')
  const [missing, setMissing] = useState<{ terms?: boolean; slot?: boolean; reason?: boolean }>({})
  const book = useBookInvited(invitation.id)
  const fields = fieldErrors(book.error)
  const [now] = useState(() => Date.now())
  return (
    <form
      noValidate
      onSubmit={(e) => {
        e.preventDefault()
        const gaps = { terms: !accepted, slot: slot === null, reason: !reason.trim() }
        setMissing(gaps)
        if (gaps.terms || gaps.slot || gaps.reason || slot === null) return
        void book.mutateAsync({ slot_id: slot, reason_for_visit: reason, message: null, terms_accepted: true }).then(onBooked, () => undefined)
      }}
    >
      <p>
        {t('invitation.intro', {
          unit: invitation.unit.name,
          from: formatDateLong(invitation.valid_from, lang),
          until: formatDateLong(invitation.valid_until, lang),
        })}
      </p>
      <section aria-labelledby="invitation-terms">
        <h2 id="invitation-terms">{t('book.terms')}</h2>
        {terms && !terms.available && <Notice kind="warning">{t('units.notAvailable')}</Notice>}
        {terms && <div className="terms" dangerouslySetInnerHTML={{ __html: terms.terms_html }} />}
        <Checkbox
          label={t('book.termsConfirm')}
          checked={accepted}
          error={missing.terms ? t('book.termsRequired') : undefined}
          onChange={(e) => {
            setAccepted(e.target.checked)
            setMissing({ ...missing, terms: false })
          }}
        />
      </section>
      <section aria-labelledby="invitation-time">
        <h2 id="invitation-time">{t('invitation.chooseTime')}</h2>
        {dates.isPending && <Loading />}
        <ErrorNotice error={dates.error} />
        {dates.data && dates.data.dates.length === 0 && <Notice kind="info">{t('invitation.noTimes')}</Notice>}
        {dates.data && dates.data.dates.length > 0 && (
          <BookingCalendar
            availability={dates.data}
            selected={date}
            onSelect={(d) => {
              setDate(d)
              setSlot(null)
            }}
          />
        )}
        {date && (
          <TimePicker
            date={date}
            slots={slots}
            selected={slot}
            onSelect={(s) => {
              setSlot(s.id)
              setMissing({ ...missing, slot: false })
            }}
            now={now}
            within24h={t('book.within24h')}
          />
        )}
        {missing.slot && <p className="field__error">{t('invitation.slotRequired')}</p>}
      </section>
      <TextArea
        label={t('book.reason')}
        required
        maxLength={500}
        value={reason}
        error={missing.reason ? t('book.reasonMissing') : fields.reason_for_visit}
        onChange={(e) => {
          setReason(e.target.value)
          setMissing({ ...missing, reason: false })
        }}
      />
      {!fields.reason_for_visit && <ErrorNotice error={book.error} />}
      <div className="buttons">
        <Button type="submit" disabled={book.isPending || (terms !== undefined && !terms.available)}>
          {t('invitation.book')}
        </Button>
      </div>
    </form>
  )
}

/** The open invitations at the top of "Bokade tider", each leading to its page. */
export function InvitationList() {
  const { t, lang } = useI18n()
  const invitations = useInvitations()
  if (!invitations.data?.length) return null
  return (
    <section aria-labelledby="invitations-heading">
      <h2 id="invitations-heading">{t('invitation.listTitle')}</h2>
      <ul className="list">
        {invitations.data.map((i) => (
          <li key={i.id}>
            <article className="card card--offer" aria-labelledby={`invitation-${i.id}`}>
              <p className="badge">{t('invitation.badge')}</p>
              <h3 id={`invitation-${i.id}`}>{i.appointment_type.name}</h3>
              <p>
                {t('invitation.intro', { unit: i.unit.name, from: formatDateLong(i.valid_from, lang), until: formatDateLong(i.valid_until, lang) })}
              </p>
              <Link className="button button--primary" to={`/invitations/${i.id}`}>
                {t('invitation.open')}
              </Link>
            </article>
          </li>
        ))}
      </ul>
    </section>
  )
}

// An earlier time (rules 15–16) in the browser, against the real server:
// Anna asks for an earlier time on her booking's card (phone), a time frees
// up and is offered to her with its hold and a countdown; she declines one
// offer and keeps waiting, then accepts the next after a question, and the
// result takes focus. Staff see the held time in the book and the waitlist's
// length (desktop); the regional admin sets the hold's length. Axe and a
// screenshot on every view.
import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { DESKTOP, PHONE, launchBrowser, login, newContext, startServer, unavailable, view } from './harness.mjs'

const PAARP = 'Vårdcentralen Påarp-Mörarp'
const TYPE = 'Provtagning 1177'
const skip = unavailable()

const stockholmDate = (instant = new Date()) => new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Stockholm' }).format(instant)
const addDays = (date, n) => {
  const d = new Date(`${date}T00:00:00Z`)
  d.setUTCDate(d.getUTCDate() + n)
  return d.toISOString().slice(0, 10)
}
const isoWeek = (date) => {
  const d = new Date(`${date}T00:00:00Z`)
  d.setUTCDate(d.getUTCDate() - ((d.getUTCDay() + 6) % 7) + 3)
  const jan4 = new Date(Date.UTC(d.getUTCFullYear(), 0, 4))
  jan4.setUTCDate(jan4.getUTCDate() - ((jan4.getUTCDay() + 6) % 7) + 3)
  return 1 + Math.round((d - jan4) / (7 * 24 * 3600 * 1000))
}

describe('an earlier time: asked for, offered, declined, accepted; seen by staff', { skip: skip ?? false }, () => {
  let server
  let browser
  let phone
  let desktop
  const offsite = []
  const tokens = {}
  let unit
  let slots

  const api = async (persona, method, path, body) => {
    if (!tokens[persona]) {
      const r = await fetch(`${server.url}/api/v1/dev/login`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ persona }) })
      assert.equal(r.status, 200, `login ${persona}`)
      tokens[persona] = (await r.json()).access_token
    }
    const headers = { Authorization: `Bearer ${tokens[persona]}` }
    if (body) headers['Content-Type'] = 'application/json'
    const r = await fetch(`${server.url}${path}`, { method, headers, body: body ? JSON.stringify(body) : undefined })
    const text = await r.text()
    return { status: r.status, body: text ? JSON.parse(text) : null }
  }
  const book = async (persona, slot) => {
    const r = await api(persona, 'POST', '/api/v1/me/bookings', { slot_id: slot.id, reason_for_visit: 'Blodprov inför besök (e2e)', terms_accepted: true })
    assert.equal(r.status, 201, JSON.stringify(r.body))
    return r.body
  }
  const cancel = async (persona, booking) => {
    const r = await api(persona, 'POST', `/api/v1/me/bookings/${booking.id}/cancel`, { reason: 'Kan inte komma (e2e)' })
    assert.equal(r.status, 200, JSON.stringify(r.body))
  }

  before(async () => {
    server = await startServer()
    browser = await launchBrowser()
    phone = await newContext(browser, server, PHONE, offsite)
    desktop = await newContext(browser, server, DESKTOP, offsite)
    unit = (await api('erik', 'GET', '/api/v1/units')).body.find((u) => u.name === PAARP).id
    // Free times of one practitioner, 3 to 16 days ahead: two early ones for
    // Erik to give back, a late one for Anna.
    const from = addDays(stockholmDate(), 3)
    const r = await api('sara', 'GET', `/api/v1/units/${unit}/book?from=${from}&to=${addDays(from, 13)}`)
    const free = r.body.slots.filter((s) => s.state === 'free' && s.appointment_type.name === TYPE)
    const practitioner = free[0].practitioner.id
    const same = free.filter((s) => s.practitioner.id === practitioner && s.length_minutes === free[0].length_minutes)
    assert.ok(same.length >= 3, `three free ${TYPE} times of one practitioner`)
    slots = { first: same[0], second: same[1], late: same.at(-1) }
  })

  after(async () => {
    await browser?.close()
    server?.stop()
  })

  const page = async (context) => {
    const p = await context.newPage()
    p.setDefaultTimeout(15_000)
    return p
  }

  it('on her booking Anna asks for an earlier time, on weekdays only; the card then says what she waits for', async () => {
    await book('anna', slots.late)
    const p = await page(phone)
    await login(p, 'Anna Svensson')
    await p.goto('/bookings')
    const card = p.locator(`#booking-${(await api('anna', 'GET', '/api/v1/me/bookings')).body.find((b) => b.starts_at === slots.late.starts_at).id}`)
    await card.getByRole('button', { name: 'Vill du komma tidigare?' }).click()
    const form = card.locator('form')
    await form.getByRole('heading', { name: 'Jag tar gärna en tidigare tid' }).waitFor()
    await view(p, 'earlier-time-form')
    // No day at all is refused beside the days, in Swedish.
    for (const day of ['måndag', 'tisdag', 'onsdag', 'torsdag', 'fredag', 'lördag', 'söndag']) await form.getByLabel(day).uncheck()
    await form.getByRole('button', { name: 'Ställ mig i kö' }).click()
    await form.getByText('Välj minst en dag.').waitFor()
    for (const day of ['måndag', 'tisdag', 'onsdag', 'torsdag', 'fredag']) await form.getByLabel(day).check()
    await form.getByRole('button', { name: 'Ställ mig i kö' }).click()
    await card.getByText('Du väntar på en tidigare tid:').waitFor()
    assert.match(await card.textContent(), /måndag, tisdag, onsdag, torsdag, fredag/)
    await view(p, 'earlier-time-waiting')
    const wishes = (await api('anna', 'GET', '/api/v1/me/earlier-times')).body
    assert.deepEqual(wishes[0].weekdays, [1, 2, 3, 4, 5])
    await p.close()
  })

  it('a freed time is offered with its hold and a countdown; declining keeps her waiting and says so in focus', async () => {
    // The tests run on any day: a weekend time would not suit the wish.
    await api('anna', 'PUT', `/api/v1/me/bookings/${(await api('anna', 'GET', '/api/v1/me/earlier-times')).body[0].booking_id}/earlier-time`, {})
    const erik = await book('erik', slots.first)
    await cancel('erik', erik)
    const p = await page(phone)
    await login(p, 'Anna Svensson')
    await p.goto('/bookings')
    const offer = p.getByRole('article', { name: /.+/ }).filter({ hasText: 'Tidigare tid till dig' })
    await offer.getByText(/Reserverad för dig till kl\. \d\d:\d\d\./).waitFor()
    // It says which of her times it would replace.
    await offer.getByText('Ersätter').waitFor()
    assert.match(await offer.textContent(), /min kvar/)
    await view(p, 'earlier-time-offer')
    await offer.getByRole('button', { name: 'Nej tack' }).click()
    await p.getByText('Du tackade nej. Din tid ligger kvar och du står kvar i kön.').waitFor()
    await p.waitForFunction(() => document.activeElement?.textContent?.startsWith('Du tackade nej'))
    assert.equal(await p.getByText('Tidigare tid till dig').count(), 0)
    await p.close()
  })

  it('staff see the held time in the book and how many wait, per type and practitioner', async () => {
    const erik = await book('erik', slots.second)
    await cancel('erik', erik)
    const p = await page(desktop)
    await login(p, 'Sara Ek')
    await p.waitForURL('**/staff/book')
    await p.getByLabel('Vårdgivare', { exact: true }).selectOption({ label: slots.second.practitioner.name })
    await p.getByLabel('Gå till datum').fill(slots.second.local_date)
    await p.getByRole('button', { name: 'Visa veckan' }).click()
    await p.getByRole('heading', { name: new RegExp(`^Vecka ${isoWeek(slots.second.local_date)} `) }).waitFor()
    const held = p.getByRole('button', { name: new RegExp(`^${slots.second.local_start_time}, ${TYPE}, .*Reserverad till \\d\\d:\\d\\d`) })
    await held.waitFor()
    const waitlist = p.getByRole('region', { name: 'Väntar på en tidigare tid' })
    const row = waitlist.getByRole('row').filter({ hasText: TYPE })
    assert.deepEqual(await row.getByRole('cell').allTextContents(), [TYPE, slots.second.practitioner.name, '1', '1'])
    await view(p, 'desk-earlier-time-held')
    await held.click()
    await p.getByText(/erbjuden till en invånare som väntar på en tidigare tid/).waitFor()
    await p.close()
  })

  it('accepting asks first, says the old time is given back, moves the booking and puts the result in focus', async () => {
    const p = await page(phone)
    await login(p, 'Anna Svensson')
    await p.goto('/bookings')
    const offer = p.getByRole('article').filter({ hasText: 'Tidigare tid till dig' })
    await offer.getByRole('button', { name: 'Byt till den här tiden' }).click()
    const dialog = p.getByRole('alertdialog', { name: 'Byta till den tidigare tiden?' })
    await dialog.getByText(/lämnas tillbaka så att någon annan kan få den/).waitFor()
    await view(p, 'earlier-time-confirm')
    await dialog.getByRole('button', { name: 'Byt tid' }).click()
    await p.getByText(/^Klart! Din tid är flyttad till/).waitFor()
    await p.waitForFunction(() => document.activeElement?.textContent?.startsWith('Klart! Din tid är flyttad till'))
    const booked = (await api('anna', 'GET', '/api/v1/me/bookings')).body.filter((b) => b.status === 'booked').map((b) => b.starts_at)
    assert.ok(booked.includes(slots.second.starts_at), 'moved to the offered time')
    assert.ok(!booked.includes(slots.late.starts_at), 'the old time given back')
    assert.deepEqual((await api('anna', 'GET', '/api/v1/me/earlier-times')).body, [])
    await view(p, 'earlier-time-accepted')
    await p.close()
  })

  it('the regional admin sets how long an offer holds its time; a number out of range is refused in Swedish', async () => {
    const p = await page(desktop)
    await login(p, 'Rolf Holm')
    await p.goto('/admin/catalogue')
    const section = p.getByRole('region', { name: 'Reservation vid erbjudande om tidigare tid' })
    const minutes = section.getByLabel('Minuter')
    assert.equal(await minutes.inputValue(), '15')
    await minutes.fill('200')
    await section.getByRole('button', { name: 'Spara reservationstid' }).click()
    await section.getByText('Ange 5 till 120 minuter.').waitFor()
    await minutes.fill('20')
    await section.getByRole('button', { name: 'Spara reservationstid' }).click()
    await section.getByText('Reservationstiden är sparad.').waitFor()
    assert.deepEqual((await api('rolf', 'GET', '/api/v1/region/offer-hold')).body, { minutes: 20 })
    await view(p, 'admin-offer-hold')
    await p.close()
  })

  it('no request left 127.0.0.1', () => {
    assert.deepEqual(offsite, [])
  })
})

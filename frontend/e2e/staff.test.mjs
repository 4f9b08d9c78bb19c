// The staff and admin desk at 1440×900 against the real server: nothing
// destructive in one click (makulera and cancel ask first, and say what the
// resident will be told), past times not offered, "Ny bokning" without a
// preselected type and with a time ahead, the feed newest first, publishing
// previewed and the end-before-start refused at once, the new-type dialog's
// Spara in view, admin saves confirmed in place, the terms preview naming
// what the sanitiser removed, the access log grouped and without ids. Axe and
// a screenshot (test-artifacts/desk-*.png) on every view.
//
// Issue 9's wiring: the resident's name looked up (and access-logged) before
// booking, a visit recorded after the fact only as an explicit choice, each
// member of staff's own book first, publishing previewed by the server's dry
// run with the holidays it skips, the unit's holiday setting, the log naming
// patients, the summons printed from its own window — and no
// Content-Security-Policy violation in the console anywhere.
import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { join } from 'node:path'
import { ARTIFACTS, DESKTOP, assertAccessible, launchBrowser, login, newContext, startServer, unavailable, view } from './harness.mjs'

const ERIK = { name: 'Erik Nilsson', pnr: '194107309173', shown: '19410730-9173' }
const PAARP = 'Vårdcentralen Påarp-Mörarp'

const skip = unavailable()

/** The date (YYYY-MM-DD) in Stockholm of an instant. */
const stockholmDate = (instant = new Date()) => new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Stockholm' }).format(instant)
const addDays = (date, n) => {
  const d = new Date(`${date}T00:00:00Z`)
  d.setUTCDate(d.getUTCDate() + n)
  return d.toISOString().slice(0, 10)
}
const mondayOf = (date) => addDays(date, -((new Date(`${date}T00:00:00Z`).getUTCDay() + 6) % 7))
/** A Stockholm wall-clock time as an instant. */
const stockholmInstant = (date, time) => {
  const guess = new Date(`${date}T${time}:00Z`)
  const local = new Date(guess.toLocaleString('en-US', { timeZone: 'Europe/Stockholm' }))
  const utc = new Date(guess.toLocaleString('en-US', { timeZone: 'UTC' }))
  return new Date(guess.getTime() - (local - utc))
}
const isoWeek = (date) => {
  const d = new Date(`${date}T00:00:00Z`)
  d.setUTCDate(d.getUTCDate() - ((d.getUTCDay() + 6) % 7) + 3)
  const jan4 = new Date(Date.UTC(d.getUTCFullYear(), 0, 4))
  jan4.setUTCDate(jan4.getUTCDate() - ((jan4.getUTCDay() + 6) % 7) + 3)
  return 1 + Math.round((d - jan4) / (7 * 24 * 3600 * 1000))
}
const longDate = (date) => new Intl.DateTimeFormat('sv-SE', { timeZone: 'UTC', weekday: 'long', day: 'numeric', month: 'long', year: 'numeric' }).format(new Date(`${date}T12:00:00Z`))
const weekday = (date) => new Date(`${date}T00:00:00Z`).getUTCDay()
/** Stockholm date and HH:MM (rounded down to 5 minutes) of an instant. */
const stockholmClock = (instant) => {
  const time = new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/Stockholm', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(instant)
  const [h, m] = time.split(':').map(Number)
  return { date: stockholmDate(instant), time: `${String(h).padStart(2, '0')}:${String(m - (m % 5)).padStart(2, '0')}` }
}
/** Easter Sunday (anonymous Gregorian algorithm), written out again here so the test does not trust the app's. */
const easter = (y) => {
  const a = y % 19, b = Math.floor(y / 100), c = y % 100, d = Math.floor(b / 4), e = b % 4, f = Math.floor((b + 8) / 25), g = Math.floor((b - f + 1) / 3)
  const h = (19 * a + b - d - g + 15) % 30, i = Math.floor(c / 4), k = c % 4, l = (32 + 2 * e + 2 * i - h - k) % 7, m = Math.floor((a + 11 * h + 22 * l) / 451)
  const month = Math.floor((h + l - 7 * m + 114) / 31), day = ((h + l - 7 * m + 114) % 31) + 1
  return `${y}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`
}
/** The first Swedish public holiday (or eve units close on) after `date` that falls on a weekday. */
const nextWeekdayHoliday = (date) => {
  const year = Number(date.slice(0, 4))
  const all = [year, year + 1].flatMap((y) => {
    const e = easter(y)
    const midsummerEve = addDays(`${y}-06-19`, (5 - weekday(`${y}-06-19`) + 7) % 7)
    return [...['01-01', '01-06', '05-01', '06-06', '12-24', '12-25', '12-26', '12-31'].map((md) => `${y}-${md}`), addDays(e, -2), addDays(e, 1), addDays(e, 39), midsummerEve]
  })
  return all.filter((d) => d > date && weekday(d) >= 1 && weekday(d) <= 5).sort()[0]
}
/** A valid personal identity number (Luhn check digit) that no demo resident has. */
const newPnr = () => {
  const body = '000101942'
  const sum = [...body].map(Number).reduce((acc, n, i) => {
    const v = i % 2 === 0 ? n * 2 : n
    return acc + (v > 9 ? v - 9 : v)
  }, 0)
  return `20${body.slice(0, 6)}-${body.slice(6)}${(10 - (sum % 10)) % 10}`
}
const shortDay = (date) => new Intl.DateTimeFormat('sv-SE', { timeZone: 'UTC', weekday: 'short', day: 'numeric', month: 'short' }).format(new Date(`${date}T12:00:00Z`))

describe('The staff and admin desk', { skip: skip ?? false }, () => {
  let server
  let browser
  let context
  const offsite = []
  const tokens = {}
  let unitId
  let practitioners
  // Every console message of every page and popup that names the Content-Security-Policy.
  const csp = []
  const watch = (ctx) => {
    const listen = (p) => p.on('console', (message) => {
      if (message.text().includes('Content Security Policy')) csp.push(`${p.url()}: ${message.text()}`)
    })
    ctx.pages().forEach(listen)
    ctx.on('page', listen)
    return ctx
  }
  const clockedContext = async () => watch(await newContext(browser, server, DESKTOP, offsite))

  before(async () => {
    server = await startServer()
    browser = await launchBrowser()
    context = watch(await newContext(browser, server, DESKTOP, offsite))
    const staff = await api('sara')
    unitId = (await staff.get('/api/v1/staff/me')).units.find((u) => u.name === PAARP).id
    practitioners = await staff.get(`/api/v1/units/${unitId}/practitioners`)
  })

  after(async () => {
    await browser?.close()
    server?.stop()
  })

  /** The API as a persona of the dev login. */
  async function api(persona) {
    if (!tokens[persona]) {
      const response = await fetch(`${server.url}/api/v1/dev/login`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ persona }) })
      assert.equal(response.status, 200, `login ${persona}`)
      tokens[persona] = (await response.json()).access_token
    }
    const send = async (method, path, body) => {
      const response = await fetch(`${server.url}${path}`, {
        method,
        headers: { Authorization: `Bearer ${tokens[persona]}`, ...(body ? { 'Content-Type': 'application/json' } : {}) },
        body: body ? JSON.stringify(body) : undefined,
      })
      const text = await response.text()
      assert.ok(response.ok, `${method} ${path} as ${persona}: ${response.status} ${text}`)
      return text ? JSON.parse(text) : null
    }
    return { get: (path) => send('GET', path), post: (path, body) => send('POST', path, body), put: (path, body) => send('PUT', path, body) }
  }

  const practitioner = (name) => practitioners.find((p) => p.name === name)

  /** Staff book Erik into the first free slot of a type and practitioner, two or more days ahead. */
  async function bookErik(practitionerName, typeName, { skip = 0 } = {}) {
    const staff = await api('sara')
    const from = addDays(stockholmDate(), 2)
    const book = await staff.get(`/api/v1/units/${unitId}/book?from=${from}&to=${addDays(from, 13)}&practitioner_id=${practitioner(practitionerName).id}`)
    const slot = book.slots.filter((s) => s.state === 'free' && s.appointment_type.name === typeName)[skip]
    assert.ok(slot, `a free ${typeName} of ${practitionerName}`)
    const booking = await staff.post(`/api/v1/units/${unitId}/bookings`, { personal_identity_number: ERIK.pnr, slot_id: slot.id })
    return { slot, booking }
  }

  const bookingStatus = async (id) => (await (await api('sara')).get(`/api/v1/bookings/${id}`)).status

  const page = async () => {
    const p = await context.newPage()
    p.setDefaultTimeout(15_000)
    return p
  }

  /** The staff book on the practitioner and week of `date`, by "Gå till datum". */
  async function openBook(p, practitionerName, date) {
    await p.goto('/staff/book')
    await p.getByLabel('Vårdgivare', { exact: true }).selectOption({ label: practitionerName })
    await p.getByLabel('Gå till datum').fill(date)
    await p.getByRole('button', { name: 'Visa veckan' }).click()
    await p.getByRole('heading', { name: new RegExp(`^Vecka ${isoWeek(date)} `) }).waitFor()
    await p.waitForLoadState('networkidle')
  }

  it('the week grid names days as Swedish writes them and jumps to a date', async () => {
    const p = await page()
    await login(p, 'Sara Ek')
    await p.waitForURL('**/staff/book')
    await p.getByRole('region', { name: new RegExp(`^${shortDay(mondayOf(stockholmDate()))}$`) }).waitFor()
    const headings = await p.locator('.week__day h3').allTextContents()
    assert.ok(headings.length >= 5, 'five days or more')
    for (const h of headings) assert.match(h, /^(mån|tis|ons|tors|fre|lör|sön) \d{1,2} [a-zé]+\.?( \(idag\))?$/, `"${h}" in Swedish case`)
    await view(p, 'desk-book-week')
    // A weekday some five weeks ahead (the grid shows the weekend only when it has times).
    let later = addDays(stockholmDate(), 38)
    while ([0, 6].includes(new Date(`${later}T12:00:00Z`).getUTCDay())) later = addDays(later, 1)
    await openBook(p, 'Karin Berg', later)
    await p.getByRole('region', { name: shortDay(later) }).waitFor()
    await p.close()
  })

  it('past times are grey and not offered; a line marks now', async () => {
    // The browser's clock on Wednesday next week at 12:00: Monday and Tuesday
    // of that week, and Wednesday morning, are past as far as the grid knows.
    // The clock belongs to the whole context: this test has its own.
    const clocked = await clockedContext()
    const p = await clocked.newPage()
    p.setDefaultTimeout(15_000)
    const wednesday = addDays(mondayOf(stockholmDate()), 9)
    await p.clock.setFixedTime(stockholmInstant(wednesday, '12:00'))
    await login(p, 'Sara Ek')
    await p.getByLabel('Vårdgivare', { exact: true }).selectOption({ label: 'Karin Berg' })
    await p.waitForLoadState('networkidle')
    const monday = p.getByRole('region', { name: shortDay(addDays(wednesday, -2)) })
    const thursday = p.getByRole('region', { name: shortDay(addDays(wednesday, 1)) })
    await monday.getByText('Passerad').first().waitFor()
    assert.equal(await monday.getByRole('button', { name: /Ledig/ }).count(), 0, 'no past time offered as free')
    assert.ok((await thursday.getByRole('button', { name: /Ledig/ }).count()) > 0, 'future times are offered')
    const wed = p.getByRole('region', { name: new RegExp(`^${shortDay(wednesday)}`) })
    assert.equal(await wed.getByRole('button', { name: /^07:30, .*Ledig/ }).count(), 0, 'this morning is past')
    await wed.getByRole('img', { name: 'Nu, kl. 12:00' }).waitFor()
    // Short (10-minute) slots show their whole text: nothing is cut off.
    const clipped = await p.locator('.slot').evaluateAll((slots) => slots.filter((s) => s.scrollHeight > s.clientHeight + 1 || s.scrollWidth > s.clientWidth + 1).length)
    assert.equal(clipped, 0, 'no slot clips its text')
    await view(p, 'desk-book-past')

    // A started free time opens only to record a visit after the fact — an explicit second step.
    await monday.getByRole('button', { name: /, Passerad$/ }).first().click()
    const dialog = p.getByRole('dialog', { name: 'Bokning' })
    await dialog.getByText('Tiden har redan börjat och kan inte bokas.').waitFor()
    assert.equal(await dialog.getByLabel('Personnummer').count(), 0, 'no booking form at first')
    await dialog.getByRole('button', { name: 'Registrera besök i efterhand' }).click()
    await dialog.getByText('Ett besök som registreras i efterhand meddelas inte till någon och skrivs i enhetens logg.').waitFor()
    await dialog.getByLabel('Personnummer').fill(ERIK.pnr)
    await dialog.getByLabel('Personnummer').press('Tab')
    await dialog.getByRole('status').filter({ hasText: ERIK.name }).waitFor()
    await view(p, 'desk-book-after-the-fact')
    // The browser's clock says the time has begun; the server's does not, and has the last word.
    await dialog.getByRole('button', { name: `Registrera besöket för ${ERIK.name}` }).click()
    await dialog.getByText('Tiden har inte börjat ännu. Ta bort markeringen för att boka tiden som vanligt.').waitFor()
    await clocked.close()
  })

  it('"Ny bokning" preselects no type, offers a time ahead, names the resident and refuses one that has begun', async () => {
    const since = new Date()
    const p = await page()
    await login(p, 'Sara Ek')
    await p.getByRole('button', { name: 'Ny bokning' }).click()
    const dialog = p.getByRole('dialog', { name: 'Ny bokning' })
    await dialog.getByLabel('Personnummer').waitFor()
    assert.equal(await dialog.getByLabel('Typ av tid').inputValue(), '', 'no type chosen for staff')
    const offered = stockholmInstant(await dialog.getByLabel('Datum').inputValue(), await dialog.getByLabel('Starttid').inputValue())
    assert.ok(offered > Date.now(), `the time offered (${offered.toISOString()}) is ahead`)
    assert.equal(await dialog.getByRole('group', { name: 'Besök i efterhand' }).count(), 0, 'no after-the-fact choice for a time ahead')
    await view(p, 'desk-new-booking')
    const submit = dialog.locator('.dialog__footer').getByRole('button')
    assert.equal(await submit.textContent(), 'Boka in patient')
    const box = await submit.boundingBox()
    assert.ok(box && box.y >= 0 && box.y + box.height <= DESKTOP.height, 'the submit button is in view')

    // The name, for staff to confirm: looked up on "Hämta namn" or on leaving a complete number.
    const pnr = dialog.getByLabel('Personnummer')
    const said = dialog.locator('.resident-check')
    await pnr.fill('19121212-1213')
    await dialog.getByRole('button', { name: 'Hämta namn' }).click()
    await dialog.getByText('Personnumret stämmer inte: den sista siffran passar inte ihop med de andra. Kontrollera att det är rätt skrivet.').first().waitFor()
    assert.equal(await pnr.getAttribute('aria-invalid'), 'true')
    const unknown = newPnr()
    await pnr.fill(unknown)
    await pnr.press('Tab')
    await said.getByText('Ingen invånare med det personnumret finns registrerad ännu – bokningen registrerar personen.').waitFor()
    await pnr.fill(ERIK.pnr)
    await pnr.press('Tab')
    await said.getByText(ERIK.name).waitFor()
    assert.equal(await said.getAttribute('role'), 'status', 'the answer is announced')
    assert.equal(await submit.textContent(), `Boka in ${ERIK.name}`)
    await view(p, 'desk-new-booking-name')

    await submit.click()
    await dialog.getByText('Välj typ av tid.').waitFor()
    assert.ok(await dialog.getByLabel('Typ av tid').evaluate((el) => el === document.activeElement), 'focus on the field to correct')
    await dialog.getByLabel('Typ av tid').selectOption({ label: 'Mottagningstid' })
    await dialog.getByLabel('Datum').fill(stockholmDate())
    await dialog.getByLabel('Starttid').fill('00:00')
    await submit.click()
    await dialog.getByText('Tiden har redan börjat.', { exact: true }).waitFor()
    const after = dialog.getByRole('group', { name: 'Besök i efterhand' })
    await after.getByText('Välj en tid framåt, eller registrera besöket i efterhand om det redan har ägt rum. Ett besök som registreras i efterhand meddelas inte till någon och skrivs i enhetens logg.').waitFor()
    assert.equal(await after.getByLabel('Registrera besök i efterhand').isChecked(), false, 'never ticked for staff')
    await assertAccessible(p, 'desk-new-booking-past')
    await p.screenshot({ path: join(ARTIFACTS, 'desk-new-booking-past.png') })
    const book = await (await api('sara')).get(`/api/v1/units/${unitId}/book?from=${stockholmDate()}&to=${stockholmDate()}`)
    assert.ok(!book.slots.some((s) => s.local_start_time === '00:00'), 'nothing was booked')
    await dialog.getByRole('button', { name: 'Stäng' }).click()

    // The look-ups were written to the unit's access log, once per number.
    const log = await (await api('ulla')).get(`/api/v1/units/${unitId}/access-log?action=look_up_resident&limit=100`)
    const erik = log.filter((e) => e.actor_name === 'Sara Ek' && e.resident.personal_identity_number === ERIK.shown && new Date(e.at) >= since)
    assert.equal(erik.length, 1, `one look-up of Erik: ${JSON.stringify(erik)}`)
    await p.close()
  })

  /** Ny bokning of Erik at `time` today with Maria Holm, in a browser whose clock is `shift` ms off. */
  async function adHocWithClock(shift, when) {
    const clocked = await clockedContext()
    const p = await clocked.newPage()
    p.setDefaultTimeout(15_000)
    await p.clock.setFixedTime(new Date(Date.now() + shift))
    await login(p, 'Sara Ek')
    await p.getByLabel('Vårdgivare', { exact: true }).selectOption({ label: 'Maria Holm' })
    await p.getByRole('button', { name: 'Ny bokning' }).click()
    const dialog = p.getByRole('dialog', { name: 'Ny bokning' })
    await dialog.getByLabel('Personnummer').fill(ERIK.pnr)
    await dialog.getByLabel('Typ av tid').selectOption({ label: 'Mottagningstid' })
    await dialog.getByLabel('Datum').fill(when.date)
    await dialog.getByLabel('Starttid').fill(when.time)
    await dialog.getByLabel('Tidsåtgång (minuter)').fill('5')
    return { clocked, p, dialog }
  }

  it('a visit that has begun is recorded only by choice, notifies no one and is logged', async () => {
    const inbox = async () => (await (await api('erik')).get('/api/v1/me/inbox')).length
    const before = await inbox()
    // The browser's clock two hours behind: it takes an hour ago for ahead; the server refuses.
    const when = stockholmClock(new Date(Date.now() - 3600_000))
    const { clocked, p, dialog } = await adHocWithClock(-2 * 3600_000, when)
    assert.equal(await dialog.getByRole('group', { name: 'Besök i efterhand' }).count(), 0)
    await dialog.locator('.dialog__footer').getByRole('button').click()
    // The server's starts-in-past brings up the choice, with what it means.
    const after = dialog.getByRole('group', { name: 'Besök i efterhand' })
    await after.getByText('Välj en tid framåt, eller registrera besöket i efterhand om det redan har ägt rum. Ett besök som registreras i efterhand meddelas inte till någon och skrivs i enhetens logg.').waitFor()
    await dialog.getByText('Tiden har redan börjat.', { exact: true }).waitFor()
    await after.getByLabel('Registrera besök i efterhand').check()
    const submit = dialog.locator('.dialog__footer').getByRole('button')
    await dialog.getByRole('button', { name: `Registrera besöket för ${ERIK.name}` }).waitFor()
    await view(p, 'desk-new-booking-after-the-fact')
    await submit.click()
    await dialog.waitFor({ state: 'hidden' })

    const maria = practitioner('Maria Holm').id
    const book = await (await api('sara')).get(`/api/v1/units/${unitId}/book?from=${when.date}&to=${when.date}&practitioner_id=${maria}`)
    const recorded = book.slots.find((s) => s.local_start_time === when.time && s.bookings.some((b) => b.resident.personal_identity_number === ERIK.shown))
    assert.ok(recorded, `the visit at ${when.date} ${when.time} is in the book`)
    assert.equal(await inbox(), before, 'Erik was told nothing')
    const log = await (await api('ulla')).get(`/api/v1/units/${unitId}/access-log?action=record_after_the_fact&limit=100`)
    assert.ok(log.some((e) => e.actor_name === 'Sara Ek' && e.resident.personal_identity_number === ERIK.shown), 'written to the access log')
    await clocked.close()
  })

  it('a time ahead recorded after the fact is refused in Swedish', async () => {
    // The browser's clock two hours ahead takes an hour from now for begun; the server does not.
    const when = stockholmClock(new Date(Date.now() + 3600_000))
    const { clocked, dialog } = await adHocWithClock(2 * 3600_000, when)
    const after = dialog.getByRole('group', { name: 'Besök i efterhand' })
    await after.getByLabel('Registrera besök i efterhand').check()
    await dialog.locator('.dialog__footer').getByRole('button').click()
    await after.getByText('Tiden har inte börjat ännu. Ta bort markeringen för att boka tiden som vanligt.').waitFor()
    assert.equal(await after.getByLabel('Registrera besök i efterhand').getAttribute('aria-invalid'), 'true')
    // Untick, and the time is booked as usual: the server's answer overrules the browser's clock.
    await after.getByLabel('Registrera besök i efterhand').uncheck()
    await dialog.locator('.dialog__footer').getByRole('button', { name: `Boka in ${ERIK.name}` }).click()
    await dialog.waitFor({ state: 'hidden' })
    const maria = practitioner('Maria Holm').id
    const book = await (await api('sara')).get(`/api/v1/units/${unitId}/book?from=${when.date}&to=${when.date}&practitioner_id=${maria}`)
    assert.ok(book.slots.some((s) => s.local_start_time === when.time && s.bookings.some((b) => b.status === 'booked' && b.resident.personal_identity_number === ERIK.shown)), 'booked ahead')
    await clocked.close()
  })

  it('the book opens on the signed-in member of staff’s own practitioner, else on the first', async () => {
    const teodora = await page()
    await login(teodora, 'Teodora Tuomainen')
    await teodora.waitForURL('**/staff/book')
    const chosen = teodora.getByLabel('Vårdgivare', { exact: true })
    await teodora.getByRole('heading', { name: /^Vecka \d+ – Vårdcentralen Nöbbelöv$/ }).waitFor()
    assert.equal(await chosen.locator('option:checked').textContent(), 'Teodora Tuomainen', 'her own book')
    assert.notEqual(await chosen.locator('option').first().textContent(), 'Teodora Tuomainen', 'not merely the first')
    await view(teodora, 'desk-book-own')
    await teodora.getByRole('link', { name: 'Schemaläggning', exact: true }).click()
    await teodora.getByRole('table', { name: 'Mall', exact: true }).waitFor()
    assert.equal(await teodora.getByLabel('Vårdgivare', { exact: true }).locator('option:checked').textContent(), 'Teodora Tuomainen', 'her own schedule')
    await teodora.close()

    const sara = await page()
    await login(sara, 'Sara Ek')
    await sara.getByRole('heading', { name: new RegExp(`^Vecka \\d+ – ${PAARP}$`) }).waitFor()
    const first = await sara.getByLabel('Vårdgivare', { exact: true }).locator('option').first().textContent()
    assert.equal(await sara.getByLabel('Vårdgivare', { exact: true }).locator('option:checked').textContent(), first, 'reception: the first practitioner')
    await sara.close()
  })

  it('the summons opens in its own window with the print dialog, and no policy violation', async () => {
    const { slot } = await bookErik('Ahmed Karimi', 'Mottagningstid', { skip: 2 })
    // A context of its own whose pages count their print() calls.
    const printing = await clockedContext()
    await printing.addInitScript(() => {
      window.__printed = 0
      window.print = () => {
        window.__printed++
      }
    })
    const p = await printing.newPage()
    p.setDefaultTimeout(15_000)
    await login(p, 'Sara Ek')
    await openBook(p, 'Ahmed Karimi', slot.local_date)
    await p.getByRole('button', { name: new RegExp(`^${slot.local_start_time}, Mottagningstid, Ahmed Karimi, ${ERIK.name}`) }).click()
    const [summons] = await Promise.all([p.waitForEvent('popup'), p.getByRole('dialog', { name: 'Bokning' }).getByRole('button', { name: 'Kallelse' }).click()])
    await summons.waitForLoadState('load')
    await summons.getByRole('heading', { name: 'Kallelse' }).waitFor()
    await summons.getByText(ERIK.shown).waitFor()
    await summons.waitForFunction(() => window.__printed === 1)
    // Printing cancelled or done, the summons stays open to read.
    assert.equal(summons.isClosed(), false)
    const styled = await summons.evaluate(() => getComputedStyle(document.querySelector('header')).display)
    assert.equal(styled, 'flex', 'the summons’ own style applies under the policy')
    await summons.screenshot({ path: join(ARTIFACTS, 'desk-summons.png') })
    await summons.close()
    assert.deepEqual(csp, [], 'no Content-Security-Policy violation')
    await printing.close()
  })

  it('makulera asks first, says the resident is told, and only the confirmation voids', async () => {
    const { slot, booking } = await bookErik('Ahmed Karimi', 'Mottagningstid')
    const p = await page()
    await login(p, 'Sara Ek')
    await openBook(p, 'Ahmed Karimi', slot.local_date)
    await p.getByRole('button', { name: new RegExp(`^${slot.local_start_time}, Mottagningstid, Ahmed Karimi, ${ERIK.name}`) }).click()
    const dialog = p.getByRole('dialog', { name: 'Bokning' })
    const makulera = dialog.getByRole('button', { name: 'Makulera', exact: true })
    await makulera.click()
    const confirm = p.getByRole('alertdialog', { name: 'Makulera bokningen?' })
    await confirm.getByText('Bokningen markeras som felregistrerad och tiden blir ledig. Invånaren får ett meddelande om att tiden är makulerad.').waitFor()
    assert.ok(await confirm.getByRole('button', { name: 'Avbryt' }).evaluate((el) => el === document.activeElement), 'the safe choice has focus')
    await view(p, 'desk-confirm-void')

    await p.keyboard.press('Escape')
    await confirm.waitFor({ state: 'hidden' })
    assert.ok(await makulera.evaluate((el) => el === document.activeElement), 'Escape returns focus to Makulera')
    assert.equal(await bookingStatus(booking.id), 'booked', 'Escape changed nothing')

    await makulera.click()
    await confirm.getByRole('button', { name: 'Avbryt' }).click()
    await confirm.waitFor({ state: 'hidden' })
    assert.equal(await bookingStatus(booking.id), 'booked', 'Avbryt changed nothing')

    await makulera.click()
    await confirm.getByRole('button', { name: 'Makulera bokningen' }).click()
    await dialog.waitFor({ state: 'hidden' })
    assert.equal(await bookingStatus(booking.id), 'entered_in_error')
    // The book shows the time free again.
    await p.getByRole('button', { name: new RegExp(`^${slot.local_start_time}, Mottagningstid, Ahmed Karimi, Ledig, Makulerad: ${ERIK.name}`) }).waitFor()
    await p.close()
    // Erik, told of the booking, is told it is void (rule 21).
    const about = (await (await api('erik')).get('/api/v1/me/inbox')).filter((m) => m.booking_id === booking.id)
    assert.deepEqual(about.map((m) => m.kind), ['voided_by_staff', 'booked_by_staff'], JSON.stringify(about))
    assert.match(about[0].subject, /gäller inte/)
  })

  it('makulera of a hidden type says the resident hears nothing', async () => {
    const { slot, booking } = await bookErik('Ingela Ransnäs', 'Administration internt')
    const p = await page()
    await login(p, 'Sara Ek')
    await openBook(p, 'Ingela Ransnäs', slot.local_date)
    await p.getByRole('button', { name: new RegExp(`^${slot.local_start_time}, Administration internt, Ingela Ransnäs, ${ERIK.name}`) }).click()
    await p.getByRole('dialog', { name: 'Bokning' }).getByRole('button', { name: 'Makulera', exact: true }).click()
    const confirm = p.getByRole('alertdialog', { name: 'Makulera bokningen?' })
    await confirm.getByText('Invånaren får inget meddelande: tiden visas inte för invånaren.').waitFor()
    assert.equal(await confirm.getByText('Invånaren får ett meddelande').count(), 0)
    await confirm.getByRole('button', { name: 'Avbryt' }).click()
    assert.equal(await bookingStatus(booking.id), 'booked')
    await p.close()
    // A hidden type leaves no trace for Erik: no message, no booking (rules 1 and 21).
    const erik = await api('erik')
    assert.equal((await erik.get('/api/v1/me/inbox')).filter((m) => m.booking_id === booking.id).length, 0)
    assert.equal((await erik.get('/api/v1/me/bookings')).filter((b) => b.id === booking.id).length, 0)
  })

  it('cancelling asks first and says the resident is told', async () => {
    const { slot, booking } = await bookErik('Ahmed Karimi', 'Mottagningstid', { skip: 1 })
    const p = await page()
    await login(p, 'Sara Ek')
    await openBook(p, 'Ahmed Karimi', slot.local_date)
    await p.getByRole('button', { name: new RegExp(`^${slot.local_start_time}, Mottagningstid, Ahmed Karimi, ${ERIK.name}`) }).click()
    const dialog = p.getByRole('dialog', { name: 'Bokning' })
    const avboka = dialog.getByRole('button', { name: 'Avboka', exact: true })
    await avboka.click()
    await dialog.getByText('Skriv en orsak till avbokningen.').waitFor()
    assert.equal(await p.getByRole('alertdialog').count(), 0, 'no question without a reason')
    await dialog.getByLabel('Orsak till avbokningen').fill('Läkaren är sjuk (e2e)')
    await avboka.click()
    const confirm = p.getByRole('alertdialog', { name: 'Avboka tiden?' })
    await confirm.getByText('Tiden avbokas med orsaken ”Läkaren är sjuk (e2e)” och blir ledig. Invånaren får ett meddelande om avbokningen.').waitFor()
    await view(p, 'desk-confirm-cancel')
    await confirm.getByRole('button', { name: 'Avbryt' }).click()
    await confirm.waitFor({ state: 'hidden' })
    assert.ok(await avboka.evaluate((el) => el === document.activeElement), 'focus back on Avboka')
    assert.equal(await bookingStatus(booking.id), 'booked', 'Avbryt changed nothing')
    await avboka.click()
    await confirm.getByRole('button', { name: 'Avboka tiden' }).click()
    await dialog.waitFor({ state: 'hidden' })
    assert.equal(await bookingStatus(booking.id), 'cancelled')
    await p.close()
  })

  it('the cancellation feed lists the newest first', async () => {
    // Two residents each book a sample test online and cancel it, one after the other.
    const reasons = ['Första avbokningen (e2e)', 'Andra avbokningen (e2e)']
    for (const [i, persona] of ['erik', 'nora'].entries()) {
      const resident = await api(persona)
      const type = (await resident.get(`/api/v1/units/${unitId}/appointment-types`)).find((t) => t.name === 'Provtagning 1177')
      const dates = await resident.get(`/api/v1/units/${unitId}/appointment-types/${type.id}/available-dates`)
      let slot
      for (const d of dates.dates) {
        slot = (await resident.get(`/api/v1/units/${unitId}/appointment-types/${type.id}/slots?date=${d.date}`)).find((s) => new Date(s.starts_at) - Date.now() > 3 * 24 * 3600 * 1000)
        if (slot) break
      }
      assert.ok(slot, 'a sample-test slot three days ahead')
      const booking = await resident.post('/api/v1/me/bookings', { slot_id: slot.id, reason_for_visit: 'Provtagning (e2e)', terms_accepted: true })
      await resident.post(`/api/v1/me/bookings/${booking.id}/cancel`, { reason: reasons[i] })
      await new Promise((r) => setTimeout(r, 50))
    }
    const p = await page()
    await login(p, 'Sara Ek')
    await p.getByRole('link', { name: 'Avbokningar', exact: true }).click()
    const table = p.getByRole('region', { name: 'Avbokningar och ombokningar, den senaste först' })
    await table.getByRole('cell', { name: reasons[1] }).waitFor()
    const rows = await table.getByRole('row').allTextContents()
    const at = (reason) => rows.findIndex((r) => r.includes(reason))
    assert.ok(at(reasons[1]) >= 1 && at(reasons[1]) < at(reasons[0]), `newest first: ${rows.join(' | ')}`)
    await view(p, 'desk-cancellations')
    await p.close()
  })

  it('publishing refuses an end before the start at once, then previews before it publishes', async () => {
    const p = await page()
    await login(p, 'Sara Ek')
    await p.getByRole('link', { name: 'Schemaläggning', exact: true }).click()
    await p.getByLabel('Vårdgivare', { exact: true }).selectOption({ label: 'Karin Berg' })
    await p.getByRole('table', { name: 'Mall' }).getByRole('row').nth(1).waitFor()
    const to = p.getByLabel('Till', { exact: true })
    await to.fill(addDays(stockholmDate(), -1))
    await p.getByText('Slutdatumet kan inte vara före startdatumet.').waitFor()
    assert.equal(await to.getAttribute('aria-invalid'), 'true')
    await p.getByRole('button', { name: 'Förhandsgranska' }).click()
    assert.ok(await to.evaluate((el) => el === document.activeElement), 'focus on the end date')
    assert.equal(await p.getByRole('button', { name: 'Publicera', exact: true }).count(), 0, 'no preview of a wrong range')
    await view(p, 'desk-schedule-range-error')

    await to.fill(addDays(stockholmDate(), 63))
    assert.equal(await p.getByText('Slutdatumet kan inte vara före startdatumet.').count(), 0)
    await p.getByRole('button', { name: 'Förhandsgranska' }).click()
    const question = p.getByRole('heading', { name: /^Publicera .* – .*\?$/ })
    await question.waitFor()
    assert.ok(await question.evaluate((el) => el === document.activeElement), 'focus on the preview')
    await p.getByText(/^\d+ tider skapas och \d+ lediga tider tas bort\.$/).waitFor()
    await view(p, 'desk-schedule-preview')
    await p.getByRole('button', { name: 'Publicera', exact: true }).click()
    await p.getByText(/tider skapade/).waitFor()
    await view(p, 'desk-schedule-published')
    await p.close()
  })

  it('publishing previews the server’s dry run, holidays skipped by date and name, and the dry run creates nothing', async () => {
    const today = stockholmDate()
    const holiday = nextWeekdayHoliday(today)
    // Around the holiday, and past the nine weeks the demo has published, so there is something to create.
    const from = addDays(holiday, -3) > today ? addDays(holiday, -3) : today
    const to = addDays(holiday, 3) > addDays(today, 70) ? addDays(holiday, 3) : addDays(today, 70)
    const ahmed = practitioner('Ahmed Karimi').id
    const staff = await api('sara')
    const slotsIn = async (a, b) => (await staff.get(`/api/v1/units/${unitId}/book?from=${a}&to=${b}&practitioner_id=${ahmed}`)).slots.length
    const end = [addDays(to, -6), to]
    const before = await slotsIn(...end)

    const p = await page()
    await login(p, 'Sara Ek')
    await p.getByRole('link', { name: 'Schemaläggning', exact: true }).click()
    await p.getByLabel('Vårdgivare', { exact: true }).selectOption({ label: 'Ahmed Karimi' })
    await p.getByRole('table', { name: 'Mall' }).getByRole('row').nth(1).waitFor()
    // Staff see the unit's rule beside Publicera.
    await p.getByText('Helgdagar hoppas över när mallen publiceras (röda dagar, midsommarafton, julafton och nyårsafton).').waitFor()
    assert.equal(await p.getByLabel(/Publicera även på helgdagar/).count(), 0, 'staff cannot change it')
    await p.getByLabel('Från', { exact: true }).fill(from)
    await p.getByLabel('Till', { exact: true }).fill(to)
    await p.getByRole('button', { name: 'Förhandsgranska' }).click()
    const preview = p.locator('.publish-preview')
    const counts = preview.getByText(/^(\d+) tider skapas och \d+ lediga tider tas bort\.$/)
    await counts.waitFor()
    const created = Number((await counts.textContent()).match(/^(\d+)/)[1])
    assert.ok(created > 0, `the dry run would create times (${created})`)
    await preview.getByText(/helgdag(ar)? publiceras inte:$/).waitFor()
    await preview.getByRole('listitem').filter({ hasText: new RegExp(`^${longDate(holiday)}`) }).waitFor()
    if (holiday.endsWith('-12-24')) await preview.getByRole('listitem').filter({ hasText: `${longDate(holiday)} – julafton` }).waitFor()
    await view(p, 'desk-schedule-dry-run')
    assert.equal(await slotsIn(...end), before, 'the dry run created nothing')

    await p.getByRole('button', { name: 'Publicera', exact: true }).click()
    await p.getByText(new RegExp(`^${created} tider skapade`)).waitFor()
    await p.getByRole('status').getByText(longDate(holiday), { exact: false }).waitFor()
    assert.ok((await slotsIn(...end)) > before, 'publishing created the times')
    assert.equal(await slotsIn(holiday, holiday), 0, `nothing on ${holiday}`)
    await p.close()
  })

  it('a unit admin chooses whether templates publish on holidays, confirmed in place', async () => {
    const p = await page()
    await login(p, 'Ulla Åberg')
    await p.getByRole('link', { name: 'Schemaläggning', exact: true }).click()
    const box = p.getByLabel('Publicera även på helgdagar (röda dagar, midsommarafton, julafton och nyårsafton)')
    await box.waitFor()
    assert.equal(await box.isChecked(), false, 'off by default')
    await box.check()
    await p.getByRole('status').filter({ hasText: 'Sparat: mallen publiceras även på helgdagar.' }).waitFor()
    assert.equal((await (await api('ulla')).get(`/api/v1/units/${unitId}/schedule-settings`)).publish_on_holidays, true)
    await view(p, 'desk-admin-schedule-holidays')

    // Staff now read that holidays are published too.
    const s = await page()
    await login(s, 'Sara Ek')
    await s.getByRole('link', { name: 'Schemaläggning', exact: true }).click()
    await s.getByText('Mallen publiceras även på helgdagar (röda dagar, midsommarafton, julafton och nyårsafton).').waitFor()
    await s.close()

    await box.uncheck()
    await p.getByRole('status').filter({ hasText: 'Sparat: helgdagar hoppas över.' }).waitFor()
    assert.equal((await (await api('ulla')).get(`/api/v1/units/${unitId}/schedule-settings`)).publish_on_holidays, false)
    await p.reload()
    await box.waitFor()
    assert.equal(await box.isChecked(), false, 'the saved choice is shown after a reload')
    await p.close()
  })

  it('a regional admin adds a type: the dialog fits, it starts hidden, the save is confirmed', async () => {
    const p = await page()
    await login(p, 'Rolf Holm')
    await p.waitForURL('**/admin/catalogue')
    await p.getByRole('button', { name: 'Ny tidbokstyp' }).click()
    const dialog = p.getByRole('dialog', { name: 'Ny tidbokstyp' })
    const save = dialog.getByRole('button', { name: 'Spara' })
    await save.waitFor()
    const box = await save.boundingBox()
    assert.ok(box && box.y >= 0 && box.y + box.height <= DESKTOP.height, `Spara in view: ${JSON.stringify(box)}`)
    assert.ok(await save.evaluate((el) => { const r = el.getBoundingClientRect(); return document.elementFromPoint(r.x + r.width / 2, r.y + r.height / 2) === el }), 'Spara is not covered')
    assert.equal(await dialog.getByLabel('Visning i e-tjänsten').inputValue(), 'hidden', 'the least permissive policy')
    await view(p, 'desk-admin-new-type')
    await dialog.getByLabel('Namn').fill('Testtyp (e2e)')
    await dialog.getByLabel('Yrke').fill('Sjuksköterska')
    await save.click()
    await dialog.waitFor({ state: 'hidden' })
    await p.getByRole('status').filter({ hasText: 'Tidbokstypen ”Testtyp (e2e)” är sparad.' }).waitFor()
    await p.getByRole('row', { name: /Testtyp \(e2e\)/ }).getByText('Visas inte').waitFor()

    const notify = p.getByLabel('Avisera invånaren när personal avbokar')
    await notify.uncheck()
    await p.getByRole('status').filter({ hasText: 'Sparat: invånaren får inget meddelande' }).waitFor()
    await notify.check()
    await p.getByRole('status').filter({ hasText: 'Sparat: invånaren får meddelande' }).waitFor()
    await view(p, 'desk-admin-catalogue')
    await p.getByRole('link', { name: 'E-tjänster', exact: true }).click()
    await p.getByLabel('Enhet').selectOption({ label: PAARP })
    await p.getByRole('region', { name: '1. Boka tid online' }).getByText('Aktiverad').waitFor()
    await view(p, 'desk-admin-services-regional')
    await p.getByRole('link', { name: 'Schemaläggning', exact: true }).click()
    await p.getByRole('heading', { name: /Schemalagt framåt/ }).first().waitFor()
    await view(p, 'desk-admin-region-horizon')
    await p.close()
  })

  it('reminders: the region’s list is checked in Swedish and saved in place; a unit takes its own list and goes back', async () => {
    const p = await page()
    await login(p, 'Rolf Holm')
    await p.waitForURL('**/admin/catalogue')
    const region = p.getByRole('region', { name: 'Påminnelser före besöket' })
    await region.getByText('7 dygn (om bokat minst 10 dygn i förväg), 2 dygn').waitFor()
    const second = region.getByLabel('Påminnelse 2: timmar före besöket')
    await second.fill('1')
    await region.getByRole('button', { name: 'Spara påminnelser' }).click()
    const error = region.locator('.field__error')
    await error.waitFor()
    assert.equal(await error.innerText(), 'Högst tre påminnelser, var och en 2 timmar till 4 veckor (672 timmar) före besöket.', 'the limits in Swedish, not the server’s English')
    await p.waitForFunction(() => document.activeElement?.classList.contains('field__error'))
    await view(p, 'desk-admin-region-reminders-refused')
    await second.fill('24')
    await region.getByRole('button', { name: 'Spara påminnelser' }).click()
    await region.getByRole('status').filter({ hasText: 'Sparat. Gäller från nästa bokning.' }).waitFor()
    await region.getByText('7 dygn (om bokat minst 10 dygn i förväg), 1 dygn').waitFor()
    assert.deepEqual((await (await api('rolf')).get('/api/v1/region')).reminders.map((r) => r.hours_before), [168, 24])
    await view(p, 'desk-admin-region-reminders')
    await p.close()

    const u = await page()
    await login(u, 'Ulla Åberg')
    await u.getByRole('link', { name: 'E-tjänster', exact: true }).click()
    const unit = u.getByRole('region', { name: 'Påminnelser före besöket' })
    await unit.getByText('(regionens)').waitFor()
    await unit.getByLabel('Egna påminnelser').check()
    const first = unit.getByLabel('Påminnelse 1: timmar före besöket')
    await first.fill('72')
    await unit.getByRole('button', { name: 'Ta bort påminnelse 2' }).click()
    await unit.getByRole('button', { name: 'Spara påminnelser' }).click()
    await unit.getByRole('status').filter({ hasText: 'Sparat.' }).waitFor()
    await unit.getByText('3 dygn (om bokat minst 10 dygn i förväg) (mottagningens egna)').waitFor()
    await view(u, 'desk-admin-unit-reminders')
    await unit.getByLabel(/^Regionens:/).check()
    await unit.getByRole('button', { name: 'Spara påminnelser' }).click()
    await unit.getByText('7 dygn (om bokat minst 10 dygn i förväg), 1 dygn (regionens)').waitFor()
    await u.close()
    // Back to the demo's default for the tests after this one.
    await (await api('rolf')).put('/api/v1/region/reminders', { reminders: [{ hours_before: 168, only_if_booked_hours_ahead: 240 }, { hours_before: 48 }] })
  })

  it('a unit admin sees what the sanitiser removes, saves confirmed in place, and no ids in labels', async () => {
    const p = await page()
    await login(p, 'Ulla Åberg')
    await p.getByRole('link', { name: 'E-tjänster', exact: true }).click()
    const service = p.getByRole('region', { name: '1. Boka tid online' })
    const terms = service.getByLabel('Villkorstext (Boka tid online)')
    await terms.waitFor()
    assert.equal(await p.locator('label, legend, h2, h3').filter({ hasText: /book_online|cancel_rebook_online/ }).count(), 0, 'no internal ids')
    await terms.fill('Boka själv.\n\n<script>alert(1)</script>\n\n- **Provtagning** <span onclick="x()">här</span>')
    await service.getByRole('button', { name: 'Förhandsgranska' }).click()
    const preview = service.getByRole('region', { name: 'Så här ser invånaren texten' })
    await preview.getByText('Skript och otillåten kod visas inte för invånare och har tagits bort.').waitFor()
    await preview.getByText(/HTML-taggarna <span> visas inte/).waitFor()
    assert.equal(await preview.locator('.terms script').count(), 0)
    await view(p, 'desk-admin-terms-removed')
    await terms.fill('Här kan du själv boka vissa tider till oss.')
    await service.getByRole('button', { name: 'Spara' }).first().click()
    await service.getByRole('status').filter({ hasText: 'Villkorstexten är sparad.' }).waitFor()
    await service.getByRole('button', { name: 'Spara' }).nth(1).click()
    await service.getByRole('status').filter({ hasText: /^✓ Sparat: aktiverad, för (alla invånare|begränsat urval)\.$/ }).waitFor()
    await view(p, 'desk-admin-services-unit')
    // A CSV with mistyped numbers is refused line by line, in Swedish, never the server's English.
    await service.locator('input[type="file"]').setInputFiles({
      name: 'urval.csv',
      mimeType: 'text/csv',
      buffer: Buffer.from('personnummer\n19121212-1212\n19121212-1213\nabc\n'),
    })
    const refused = service.getByText('Filen importerades inte. Rätta raderna och försök igen:')
    await refused.waitFor()
    await service.getByText(/^Rad 3: Personnumret stämmer inte/).waitFor()
    await service.getByText(/^Rad 4: .*personnumret/i).waitFor()
    assert.equal(await service.getByText(/check digit|digits/).count(), 0, 'no English from the server')
    await p.close()
  })

  it('the unit access log groups repeated views, shows no ids and fits 1440 px', async () => {
    const p = await page()
    await login(p, 'Ulla Åberg')
    await p.getByRole('link', { name: 'Logg', exact: true }).click()
    const table = p.getByRole('table', { name: 'Logg' })
    await table.getByRole('row').nth(1).waitFor()
    const rows = await table.getByRole('row').allTextContents()
    const views = rows.filter((r) => r.includes('Sara Ek') && r.includes('Såg tidboken'))
    assert.ok(views.length >= 1, 'Sara’s views are listed')
    assert.ok(views.some((r) => /\(\d+ gånger\)/.test(r)), `repeated views are one row with a count: ${views.join(' | ')}`)
    const days = views.map((r) => r.match(/^\S+ \d+ \S+ \d{4}/)?.[0])
    assert.equal(new Set(days).size, days.length, 'one row per day')
    for (const r of rows) assert.doesNotMatch(r, /\b(?=[0-9a-f]*[a-f])[0-9a-f]{8}\b/, `no id in "${r}"`)
    // Patients by name and personal identity number; the desk's new actions in words.
    const named = (action) => rows.filter((r) => r.includes(action) && r.includes(`${ERIK.name} ${ERIK.shown}`))
    assert.ok(named('Slog upp invånare').length >= 1, `the look-up of Erik, named: ${rows.join(' | ')}`)
    assert.ok(named('Registrerade besök i efterhand').length >= 1, 'the visit recorded after the fact, named')
    assert.ok(named('Bokade').length >= 1, 'a booking of Erik, named')
    const actions = await p.getByLabel('Händelse').locator('option').allTextContents()
    for (const a of ['Registrerade besök i efterhand', 'Slog upp invånare']) assert.ok(actions.includes(a), `"${a}" can be filtered on`)
    await p.getByLabel('Händelse').selectOption({ label: 'Registrerade besök i efterhand' })
    await table.getByRole('row').filter({ hasText: 'Registrerade besök i efterhand' }).first().waitFor()
    assert.equal(await table.getByRole('row').filter({ hasText: 'Slog upp invånare' }).count(), 0, 'the filter keeps one action')
    await p.getByLabel('Händelse').selectOption({ label: 'Alla händelser' })
    const overflow = await p.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth)
    assert.ok(overflow <= 0, `no sideways scrolling (${overflow} px)`)
    await view(p, 'desk-admin-access-log')
    await p.getByRole('navigation').getByRole('link', { name: 'Tidbok', exact: true }).click()
    await p.waitForURL('**/staff/book')
    await view(p, 'desk-unit-admin-book')
    await p.close()
  })

  it('no view logged a Content-Security-Policy violation', () => {
    assert.deepEqual(csp, [])
  })

  it('no request left 127.0.0.1', () => {
    assert.deepEqual(offsite, [])
  })
})

// The staff and admin desk at 1440×900 against the real server: nothing
// destructive in one click (makulera and cancel ask first, and say what the
// resident will be told), past times not offered, "Ny bokning" without a
// preselected type and with a time ahead, the feed newest first, publishing
// previewed and the end-before-start refused at once, the new-type dialog's
// Spara in view, admin saves confirmed in place, the terms preview naming
// what the sanitiser removed, the access log grouped and without ids. Axe and
// a screenshot (test-artifacts/desk-*.png) on every view.
import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { join } from 'node:path'
import { ARTIFACTS, DESKTOP, assertAccessible, launchBrowser, login, newContext, startServer, unavailable, view } from './harness.mjs'

const ERIK = { name: 'Erik Nilsson', pnr: '194107309173' }
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
const shortDay = (date) => new Intl.DateTimeFormat('sv-SE', { timeZone: 'UTC', weekday: 'short', day: 'numeric', month: 'short' }).format(new Date(`${date}T12:00:00Z`))

describe('The staff and admin desk', { skip: skip ?? false }, () => {
  let server
  let browser
  let context
  const offsite = []
  const tokens = {}
  let unitId
  let practitioners

  before(async () => {
    server = await startServer()
    browser = await launchBrowser()
    context = await newContext(browser, server, DESKTOP, offsite)
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
    return { get: (path) => send('GET', path), post: (path, body) => send('POST', path, body) }
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
    const later = addDays(stockholmDate(), 38)
    await openBook(p, 'Karin Berg', later)
    await p.getByRole('region', { name: shortDay(later) }).waitFor()
    await p.close()
  })

  it('past times are grey and not offered; a line marks now', async () => {
    // The browser's clock on Wednesday next week at 12:00: Monday and Tuesday
    // of that week, and Wednesday morning, are past as far as the grid knows.
    // The clock belongs to the whole context: this test has its own.
    const clocked = await newContext(browser, server, DESKTOP, offsite)
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
    await clocked.close()
  })

  it('"Ny bokning" preselects no type, offers a time ahead and refuses one that has begun', async () => {
    const p = await page()
    await login(p, 'Sara Ek')
    await p.getByRole('button', { name: 'Ny bokning' }).click()
    const dialog = p.getByRole('dialog', { name: 'Ny bokning' })
    await dialog.getByLabel('Personnummer').waitFor()
    assert.equal(await dialog.getByLabel('Typ av tid').inputValue(), '', 'no type chosen for staff')
    const offered = stockholmInstant(await dialog.getByLabel('Datum').inputValue(), await dialog.getByLabel('Starttid').inputValue())
    assert.ok(offered > Date.now(), `the time offered (${offered.toISOString()}) is ahead`)
    await view(p, 'desk-new-booking')
    const submit = dialog.getByRole('button', { name: 'Ny bokning' })
    const box = await submit.boundingBox()
    assert.ok(box && box.y >= 0 && box.y + box.height <= DESKTOP.height, 'the submit button is in view')

    await dialog.getByLabel('Personnummer').fill(ERIK.pnr)
    await submit.click()
    await dialog.getByText('Välj typ av tid.').waitFor()
    assert.ok(await dialog.getByLabel('Typ av tid').evaluate((el) => el === document.activeElement), 'focus on the field to correct')
    await dialog.getByLabel('Typ av tid').selectOption({ label: 'Mottagningstid' })
    await dialog.getByLabel('Datum').fill(stockholmDate())
    await dialog.getByLabel('Starttid').fill('00:00')
    await submit.click()
    await dialog.getByText('Tiden har redan börjat. Välj en tid framåt.').waitFor()
    await assertAccessible(p, 'desk-new-booking-past')
    await p.screenshot({ path: join(ARTIFACTS, 'desk-new-booking-past.png') })
    const book = await (await api('sara')).get(`/api/v1/units/${unitId}/book?from=${stockholmDate()}&to=${stockholmDate()}`)
    assert.ok(!book.slots.some((s) => s.local_start_time === '00:00'), 'nothing was booked')
    await dialog.getByRole('button', { name: 'Stäng' }).click()
    await p.close()
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
    await p.getByText(/^Mallen ger \d+ tider på \d+ dagar under perioden\.$/).waitFor()
    await view(p, 'desk-schedule-preview')
    await p.getByRole('button', { name: 'Publicera', exact: true }).click()
    await p.getByText(/tider skapade/).waitFor()
    await view(p, 'desk-schedule-published')
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
    const overflow = await p.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth)
    assert.ok(overflow <= 0, `no sideways scrolling (${overflow} px)`)
    await view(p, 'desk-admin-access-log')
    await p.getByRole('navigation').getByRole('link', { name: 'Tidbok', exact: true }).click()
    await p.waitForURL('**/staff/book')
    await view(p, 'desk-unit-admin-book')
    await p.close()
  })

  it('no request left 127.0.0.1', () => {
    assert.deepEqual(offsite, [])
  })
})

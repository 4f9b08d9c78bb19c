// The resident's web app on a phone (390×844), against the real server:
// the compact header and the unread count, phone numbers as tel: links,
// the type step with length, form and the reasons a type cannot be booked,
// Back, Forward and reload in the booking flow, focus on the result of each
// action (cancel, book, rebook, settings), rebooking on the booking flow's
// calendar (one date's times, the 24-hour warning, old → new to confirm, a
// time taken meanwhile refused in view), a visited booking shown as
// visited, a void one as void, the cap on bookings of a type in Swedish,
// the grouped access log, and the 404 page. Axe and a screenshot on every
// view.
import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { PHONE, assertAccessible, launchBrowser, login, newContext, startServer, tabTo, unavailable, view } from './harness.mjs'

const PAARP = 'Vårdcentralen Påarp-Mörarp'
const ANNA_PNR = '198503142385'
const skip = unavailable()

describe('the resident web app on a phone', { skip: skip ?? false }, () => {
  let server
  let browser
  let context
  const offsite = []
  const tokens = {}

  before(async () => {
    server = await startServer()
    browser = await launchBrowser()
    context = await newContext(browser, server, PHONE, offsite)
    // Staff book Anna two reception times a few days ahead: two bookings at
    // Sara's unit and two unread messages in her inbox.
    const unit = await unitId(PAARP)
    const day = (offset) => new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Stockholm' }).format(new Date(Date.now() + offset * 86_400_000))
    const book = await get('sara', `/api/v1/units/${unit}/book?from=${day(3)}&to=${day(9)}`)
    const free = book.slots.filter((s) => s.state === 'free' && s.appointment_type.name === 'Mottagningstid')
    assert.ok(free.length >= 2, 'free reception times next week')
    for (const slot of [free[0], free.at(-1)]) {
      const r = await api('sara', 'POST', `/api/v1/units/${unit}/bookings`, { personal_identity_number: ANNA_PNR, slot_id: slot.id, reason_for_visit: 'Uppföljning (e2e)' })
      assert.equal(r.status, 201, JSON.stringify(r.body))
    }
  })

  after(async () => {
    await browser?.close()
    server?.stop()
  })

  // Errors the app writes to the console or throws (a refused request's own
  // "Failed to load resource" line is the browser's, not the app's).
  const consoleErrors = []
  const page = async () => {
    const p = await context.newPage()
    p.setDefaultTimeout(15_000)
    p.on('console', (m) => {
      if (m.type() === 'error' && !m.text().startsWith('Failed to load resource')) consoleErrors.push(`${p.url()}: ${m.text()}`)
    })
    p.on('pageerror', (e) => consoleErrors.push(`${p.url()}: ${e.message}`))
    return p
  }

  /** The API as a persona of the dev login (for arranging and looking up, not for what the test proves). */
  const api = async (persona, method, path, body) => {
    if (!tokens[persona]) {
      const r = await fetch(`${server.url}/api/v1/dev/login`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ persona }) })
      assert.equal(r.status, 200, `login ${persona}`)
      tokens[persona] = (await r.json()).access_token
    }
    const headers = { Authorization: `Bearer ${tokens[persona]}` }
    if (body) headers['Content-Type'] = 'application/json'
    if (method === 'POST' && path === '/api/v1/me/bookings') headers['Idempotency-Key'] = crypto.randomUUID()
    const r = await fetch(`${server.url}${path}`, { method, headers, body: body ? JSON.stringify(body) : undefined })
    const text = await r.text()
    return { status: r.status, body: text ? JSON.parse(text) : null }
  }
  const get = async (persona, path) => {
    const r = await api(persona, 'GET', path)
    assert.equal(r.status, 200, `${path}: ${r.status} ${JSON.stringify(r.body)}`)
    return r.body
  }
  const unitId = async (name) => (await get('erik', '/api/v1/units')).find((u) => u.name === name).id

  /** Whether the element is inside the viewport (top and bottom). */
  const inView = async (locator) => {
    const box = await locator.boundingBox()
    return box !== null && box.y >= 0 && box.y + box.height <= PHONE.height
  }
  const activeText = (p) => p.evaluate(() => document.activeElement?.textContent ?? '')
  const noSidewaysScroll = async (p, name) => {
    const [scroll, width] = await p.evaluate(() => [document.documentElement.scrollWidth, window.innerWidth])
    assert.ok(scroll <= width, `${name}: the page scrolls sideways (${scroll} > ${width})`)
  }

  it('the header is compact: the heading starts within 120 px, every tool stays reachable, nothing scrolls sideways', async () => {
    const p = await page()
    await login(p, 'Anna Svensson')
    await p.waitForURL('**/bookings')
    const h1 = p.locator('main h1')
    await h1.waitFor()
    const box = await h1.boundingBox()
    assert.ok(box.y <= 120, `the heading of /bookings starts at ${box.y} px`)
    await noSidewaysScroll(p, 'bookings')
    await view(p, 'resident-header')

    // The skip link is the first stop of the keyboard and leads to the main content.
    const first = await p.evaluate(() => [...document.querySelectorAll('a[href], button, input, select, textarea, [tabindex="0"]')][0]?.textContent)
    assert.equal(first, 'Hoppa till innehållet')
    await tabTo(p, p.getByRole('link', { name: 'Hoppa till innehållet' }))
    assert.ok(await inView(p.getByRole('link', { name: 'Hoppa till innehållet' })), 'the skip link shows when it has focus')
    await p.keyboard.press('Enter')
    await p.waitForFunction(() => document.activeElement?.id === 'main')
    for (const name of ['In English', 'Logga ut', 'Bokade tider', 'Boka tid', 'Aviseringar', 'Loggutdrag']) {
      const target = name === 'In English' || name === 'Logga ut' ? p.getByRole('button', { name }) : p.getByRole('navigation').getByRole('link', { name, exact: true })
      await tabTo(p, target)
      assert.ok(await inView(target), `${name} is in view when it has focus`)
    }
    await tabTo(p, p.getByRole('navigation').getByRole('link', { name: /^Inkorg/ }))
    await p.close()
  })

  it('the inbox link says how many messages are unread, and the count falls when one is opened', async () => {
    const p = await page()
    await login(p, 'Anna Svensson')
    const unread = (await get('anna', '/api/v1/me/inbox')).filter((m) => !m.read).length
    assert.equal(unread, 2, 'the two staff bookings left two unread messages')
    const name = (n) => (n === 0 ? 'Inkorg' : n === 1 ? 'Inkorg, 1 oläst' : `Inkorg, ${n} olästa`)
    const link = p.getByRole('navigation').getByRole('link', { name: /^Inkorg/ })
    await p.getByRole('navigation').getByRole('link', { name: name(unread), exact: true }).waitFor()
    assert.equal(await link.locator('.nav__badge').innerText(), String(unread), 'a visible badge with the count')
    await link.click()
    await p.getByText(unread === 1 ? 'Du har 1 oläst meddelande.' : `Du har ${unread} olästa meddelanden.`).waitFor()
    await view(p, 'resident-inbox-unread')
    const subject = await p.locator('summary', { hasText: 'Oläst' }).first().innerText()
    const first = p.locator('summary', { hasText: subject.replace(/^Oläst: /, '') })
    await first.click()
    await p.getByRole('navigation').getByRole('link', { name: name(unread - 1), exact: true }).waitFor()
    assert.equal(await first.evaluate((el) => el === document.activeElement), true, 'focus stays on the message that was opened')
    assert.equal(await first.getByText('Oläst').count(), 0, 'the opened message is no longer marked unread')
    await view(p, 'resident-inbox-read')

    // When marking it read fails, a button tries again; its result takes focus.
    await p.route('**/api/v1/me/inbox/*/read', (route) => route.abort())
    const second = p.locator('summary', { hasText: 'Oläst' }).first()
    const secondSubject = (await second.innerText()).replace(/^Oläst: /, '')
    await second.click()
    const message = p.locator('details', { has: p.locator('summary', { hasText: secondSubject }) })
    await message.getByRole('alert').getByText('Ingen kontakt med tjänsten.', { exact: false }).waitFor()
    await p.unroute('**/api/v1/me/inbox/*/read')
    await message.getByRole('button', { name: 'Markera som läst' }).click()
    const marked = message.locator('.result', { hasText: 'Meddelandet är markerat som läst.' })
    await marked.waitFor()
    await p.waitForFunction(() => document.activeElement?.classList.contains('result'))
    assert.ok(await inView(marked))
    await p.getByRole('navigation').getByRole('link', { name: name(unread - 2), exact: true }).waitFor()
    await view(p, 'resident-inbox-marked')
    await p.close()
  })

  it('phone numbers are tel: links of their digits, on bookings, the unit page and in messages', async () => {
    const p = await page()
    await login(p, 'Anna Svensson')
    const bookings = await get('anna', '/api/v1/me/bookings')
    const phones = bookings.map((b) => b.unit.phone).filter(Boolean)
    assert.ok(phones.length > 0, 'the demo bookings have unit phones')
    const links = p.getByRole('article').locator('a[href^="tel:"]')
    await links.first().waitFor()
    assert.equal(await links.count(), phones.length, 'one phone link per booking card')
    for (let i = 0; i < phones.length; i++) {
      const text = await links.nth(i).innerText()
      assert.equal(await links.nth(i).getAttribute('href'), `tel:${text.replace(/\D/g, '')}`, `the link of ${text}`)
    }
    const unit = await get('anna', `/api/v1/units/${await unitId(PAARP)}`)
    await p.goto(`/units/${unit.id}`)
    const unitLink = p.getByRole('main').getByRole('link', { name: unit.phone })
    assert.equal(await unitLink.getAttribute('href'), `tel:${unit.phone.replace(/\D/g, '')}`)
    await p.goto('/inbox')
    await p.locator('summary', { hasText: 'Du har fått en tid' }).first().click()
    const inMessage = p.locator('details[open] a[href^="tel:"]')
    assert.equal(await inMessage.first().getAttribute('href'), `tel:${unit.phone.replace(/\D/g, '')}`, 'the number in a message can be called')
    await p.close()
  })

  it('the type step gives length and form, and lists last what she cannot book, with the reason and the unit’s phone', async () => {
    const p = await page()
    await login(p, 'Nora Lind')
    const unit = await get('nora', `/api/v1/units/${await unitId(PAARP)}`)
    const types = await get('nora', `/api/v1/units/${unit.id}/appointment-types`)
    const physio = types.find((t) => t.name === 'Sjukgymnast Nybesök 1177')
    const counsellor = types.find((t) => t.name === 'Kurator Telefontid, du blir uppringd 1177')
    assert.equal(physio.bookable, false, 'Nora is 17')
    assert.equal(counsellor.bookable, false, 'Nora has no contact with the counsellor')
    await p.goto(`/units/${unit.id}/book`)
    await p.getByLabel('Jag har tagit del av den fullständiga informationen').check()
    await p.getByRole('button', { name: 'Fortsätt' }).click()
    await p.getByRole('heading', { name: 'Välj typ av tid' }).waitFor()

    const modes = { visit: 'Besök på mottagningen', phone_call_back: 'Telefon, du blir uppringd', video: 'Videosamtal', home_visit: 'Hembesök' }
    for (const t of types.filter((x) => x.bookable)) {
      const label = await p.getByRole('radio', { name: t.name }).evaluate((el) => el.closest('label').innerText)
      assert.match(label, new RegExp(`${t.default_length_minutes} minuter · ${modes[t.mode]}`), `${t.name}: length and form`)
    }
    const cannot = p.getByRole('heading', { name: 'Tider som du inte kan boka här' })
    await cannot.waitFor()
    // Everything she cannot book comes after everything she can.
    const lastRadio = p.getByRole('radio').last()
    assert.ok((await lastRadio.boundingBox()).y < (await cannot.boundingBox()).y, 'the types she cannot book are listed last')
    assert.equal(await p.getByRole('radio', { name: physio.name }).count(), 0, 'no radio for a type she cannot book')
    const item = (name) => p.getByRole('listitem').filter({ hasText: name })
    await item(physio.name).getByText('Från 18 år.').waitFor()
    await item(counsellor.name).getByText('Endast för dig som redan har kontakt med mottagningen.').waitFor()
    await item(counsellor.name).getByText('Telefon, du blir uppringd').waitFor()
    for (const name of [physio.name, counsellor.name]) {
      assert.equal(await item(name).getByRole('link', { name: unit.phone }).getAttribute('href'), `tel:${unit.phone.replace(/\D/g, '')}`)
    }
    await noSidewaysScroll(p, 'types')
    await view(p, 'resident-book-types')
    await p.close()
  })

  it('the booking flow lives in the URL: Back, Forward and reload keep the type, date, time and text', async () => {
    const p = await page()
    await login(p, 'Erik Nilsson')
    const unit = await unitId(PAARP)
    await p.goto(`/units/${unit}/book`)
    await p.getByRole('heading', { name: 'Information och villkor' }).waitFor()
    await view(p, 'resident-book-terms')
    await p.getByLabel('Jag har tagit del av den fullständiga informationen').check()
    await p.getByRole('button', { name: 'Fortsätt' }).click()
    await p.waitForURL(/step=type/)
    await p.getByRole('radio', { name: /^Provtagning 1177/ }).check()
    await p.getByRole('button', { name: 'Fortsätt' }).click()
    await p.waitForURL(/step=date/)
    const time = p.getByRole('radio').nth(1)
    await time.waitFor()
    const chosen = (await time.evaluate((el) => el.closest('label').innerText)).split('\n')[0]
    await time.check()
    await p.waitForURL(/slot=/)
    const dateHeading = await p.getByRole('heading', { name: /^Välj tid – / }).innerText()
    await view(p, 'resident-book-date')
    await p.getByRole('button', { name: 'Fortsätt' }).click()
    await p.waitForURL(/step=details/)
    const reason = 'Provtagning (e2e, bakåt och framåt)'
    await p.getByLabel('Beskriv kort varför du söker vård').fill(reason)
    await p.getByLabel('Meddelande till mottagningen (frivilligt)').fill('Ring efter 15')
    await view(p, 'resident-book-details')
    await p.getByRole('button', { name: 'Fortsätt' }).click()
    await p.waitForURL(/step=confirm/)
    const confirmUrl = p.url()
    assert.ok(!/reason|message|Provtagning|Ring/i.test(decodeURIComponent(confirmUrl)), `no free text in the URL: ${confirmUrl}`)
    assert.ok(/type=[0-9a-f-]{36}/.test(confirmUrl) && /date=\d{4}-\d{2}-\d{2}/.test(confirmUrl) && /slot=[0-9a-f-]{36}/.test(confirmUrl), confirmUrl)

    // Reload: the same step, time and text.
    await p.reload()
    await p.getByRole('heading', { name: 'Bekräfta bokningen' }).waitFor()
    await p.getByText(reason).waitFor()
    await p.getByText(new RegExp(`kl\\. ${chosen}`)).first().waitFor()
    await view(p, 'resident-book-confirm-reloaded')

    // Back through every step, then Forward again.
    await p.goBack()
    await p.getByRole('heading', { name: 'Sökorsak' }).waitFor()
    assert.equal(await p.getByLabel('Beskriv kort varför du söker vård').inputValue(), reason)
    assert.equal(await p.getByRole('heading', { name: 'Sökorsak' }).evaluate((el) => el === document.activeElement), true, 'the step’s heading has focus')
    await p.goBack()
    await p.getByRole('heading', { name: dateHeading }).waitFor()
    assert.ok(await p.getByRole('radio', { name: new RegExp(`^${chosen}`) }).isChecked(), 'the chosen time is still chosen')
    await p.goBack()
    await p.getByRole('heading', { name: 'Välj typ av tid' }).waitFor()
    assert.ok(await p.getByRole('radio', { name: /^Provtagning 1177/ }).isChecked(), 'the chosen type is still chosen')
    await p.goForward()
    await p.getByRole('heading', { name: dateHeading }).waitFor()
    await p.goForward()
    await p.getByRole('heading', { name: 'Sökorsak' }).waitFor()
    await p.goForward()
    await p.getByRole('heading', { name: 'Bekräfta bokningen' }).waitFor()
    assert.equal(p.url(), confirmUrl)

    // Stale or invalid params fall back to the furthest step they allow.
    const stale = new URL(confirmUrl)
    stale.searchParams.set('slot', crypto.randomUUID())
    await p.goto(stale.toString())
    await p.getByText('Tiden du valde är inte längre ledig. Välj en annan tid.').waitFor()
    await p.getByRole('heading', { name: /^Välj dag och tid/ }).waitFor()
    await p.waitForURL((url) => url.searchParams.get('step') === 'date' && !url.searchParams.has('slot'))
    const unknownType = new URL(confirmUrl)
    unknownType.searchParams.set('type', crypto.randomUUID())
    await p.goto(unknownType.toString())
    await p.getByRole('heading', { name: 'Välj typ av tid' }).waitFor()
    await p.waitForURL((url) => url.searchParams.get('step') === 'type' && !url.searchParams.has('slot'))

    // Book from the confirm step; the confirmation takes focus and survives a reload.
    await p.goto(confirmUrl)
    await p.getByRole('button', { name: 'Boka tiden' }).click()
    const done = p.getByRole('heading', { name: 'Tiden är bokad', level: 1 })
    await done.waitFor()
    assert.equal(await done.evaluate((el) => el === document.activeElement), true, 'the confirmation’s heading has focus')
    assert.ok(await inView(done))
    await view(p, 'resident-book-done')
    await p.reload()
    await done.waitFor()
    await p.getByText(new RegExp(`kl\\. ${chosen}`)).first().waitFor()
    // The draft went with the booking: a new booking starts empty.
    assert.equal(await p.evaluate(() => Object.keys(sessionStorage).filter((k) => k.startsWith('tidbok.draft.')).length), 0)
    await p.close()
  })

  it('after a cancellation the message has focus and is in view, even for a booking far down the list', async () => {
    const p = await page()
    await login(p, 'Anna Svensson')
    // The booking at Nöbbelöv, third in her list: its button is below the first screen.
    const card = p.getByRole('article').filter({ hasText: 'Vårdcentralen Nöbbelöv' }).filter({ has: p.getByRole('button', { name: 'Avboka' }) })
    const what = await card.getByRole('heading').innerText()
    assert.ok(!(await inView(card.getByRole('button', { name: 'Avboka' }))), 'the button starts below the first screen')
    await card.getByRole('button', { name: 'Avboka' }).click()
    const dialog = p.getByRole('dialog', { name: 'Avboka tid' })
    await dialog.getByRole('button', { name: 'Avboka tiden' }).click()
    await dialog.getByText('Skriv varför du avbokar tiden.').waitFor()
    await view(p, 'resident-cancel-dialog')
    await dialog.getByLabel('Orsak till avbokningen').fill('Kan inte komma (e2e)')
    await dialog.getByRole('button', { name: 'Avboka tiden' }).click()
    await dialog.waitFor({ state: 'hidden' })
    const message = p.locator('.result', { hasText: 'Tiden är avbokad' })
    await message.waitFor()
    await p.waitForFunction(() => document.activeElement?.classList.contains('result'))
    assert.match(await activeText(p), new RegExp(`Tiden är avbokad: ${what}`))
    assert.ok(await inView(message), 'the message is within the viewport')
    await view(p, 'resident-cancelled')
    await p.close()
  })

  it('a booking marked arrived shows as visited, a voided one as void, and neither offers anything', async () => {
    const mine = await get('anna', '/api/v1/me/bookings')
    const paarp = mine.filter((b) => b.unit.name === PAARP && b.status === 'booked')
    assert.ok(paarp.length >= 2, 'two of Anna’s bookings at Sara’s unit')
    const [visited, voided] = paarp
    assert.equal((await api('sara', 'POST', `/api/v1/bookings/${visited.id}/arrived`)).status, 200)
    assert.equal((await api('sara', 'POST', `/api/v1/bookings/${voided.id}/entered-in-error`)).status, 200)

    const p = await page()
    await login(p, 'Anna Svensson')
    const card = p.getByRole('article').filter({ hasText: visited.appointment_type.name }).filter({ hasText: `kl. ${visited.local_start_time}` })
    await card.getByText('Du har besökt mottagningen.').waitFor()
    await card.getByText('Besökt', { exact: true }).waitFor()
    assert.equal(await p.getByText('Tiden är inte längre bokad').count(), 0, 'never “no longer booked”')
    assert.equal(await card.getByRole('button').count(), 0, 'no cancel or rebook on a visit')
    await view(p, 'resident-bookings-visited')

    await p.goto(`/bookings/${voided.id}/rebook`)
    await p.getByText('Tiden är makulerad av mottagningen.').waitFor()
    await p.getByText('Makulerad', { exact: true }).waitFor()
    assert.equal(await p.getByRole('button', { name: /Omboka|Avboka/ }).count(), 0)
    await view(p, 'resident-booking-void')
    await p.close()
  })

  // Rebooking (issue 9): Nora's sample test, four days or more ahead, moved
  // on the booking flow's calendar. Staff give Karin Berg sample times in
  // about three hours (ändra mall tillfälligt), so that a target within 24
  // hours exists whatever the time and day the tests run.
  let noraBooking = null
  let near = null
  const longDate = (date) => new Intl.DateTimeFormat('sv-SE', { timeZone: 'UTC', weekday: 'long', day: 'numeric', month: 'long', year: 'numeric' }).format(new Date(`${date}T12:00:00Z`))
  const addDays = (date, n) => new Date(Date.parse(`${date}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10)
  /** Stockholm date and time (HH:MM) of an instant. */
  const stockholm = (instant) => {
    const parts = Object.fromEntries(
      new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Stockholm', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' })
        .formatToParts(instant)
        .map((x) => [x.type, x.value]),
    )
    return { date: `${parts.year}-${parts.month}-${parts.day}`, time: `${parts.hour}:${parts.minute}` }
  }
  async function arrangeRebook() {
    if (noraBooking) return
    const unit = await unitId(PAARP)
    const type = (await get('nora', `/api/v1/units/${unit}/appointment-types`)).find((t) => t.name === 'Provtagning 1177')
    const today = stockholm(new Date()).date
    const day = (await get('nora', `/api/v1/units/${unit}/appointment-types/${type.id}/available-dates`)).dates.find((d) => d.date >= addDays(today, 4))
    const [slot] = await get('nora', `/api/v1/units/${unit}/appointment-types/${type.id}/slots?date=${day.date}`)
    const booked = await api('nora', 'POST', '/api/v1/me/bookings', { slot_id: slot.id, reason_for_visit: 'Blodprov (e2e, ombokning)', terms_accepted: true })
    assert.equal(booked.status, 201, JSON.stringify(booked.body))
    noraBooking = booked.body

    let { date, time } = stockholm(new Date(Math.ceil((Date.now() + 3 * 3600_000) / 600_000) * 600_000))
    if (time >= '22:00') [date, time] = [addDays(date, 1), '07:00']
    else if (time < '06:00') time = '07:00'
    const karin = (await get('sara', `/api/v1/units/${unit}/practitioners`)).find((x) => x.name === 'Karin Berg')
    const changed = await api('sara', 'PUT', `/api/v1/practitioners/${karin.id}/days/${date}`, { blocks: [{ appointment_type_id: type.id, start: time, slot_length_minutes: 10, count: 3 }] })
    assert.equal(changed.status, 200, JSON.stringify(changed.body))
    const targets = await get('nora', `/api/v1/me/bookings/${noraBooking.id}/rebook-targets?from=${date}&to=${date}`)
    near = targets.find((s) => new Date(s.starts_at) - Date.now() < 23 * 3600_000)
    assert.ok(near, `a target within 24 hours on ${date} from ${time}`)
  }
  /** Clicks a date in the calendar, moving on a month if need be. */
  const chooseDay = async (p, date) => {
    await p.getByRole('table').locator('button[aria-pressed="true"]').waitFor()
    const button = p.getByRole('table').getByRole('button', { name: new RegExp(`^${longDate(date)},`) })
    for (let i = 0; i < 3 && !(await button.count()); i++) await p.getByRole('button', { name: 'Nästa månad' }).click()
    await button.click()
    await p.getByRole('heading', { name: `Välj tid – ${longDate(date)}` }).waitFor()
  }
  const within24h = 'Den nya tiden börjar om mindre än 24 timmar. Efter ombokningen kan du inte av- eller omboka den här, utan behöver ringa mottagningen.'

  it('rebooking uses the booking calendar: the first date with targets chosen, days without disabled, one date’s times, a short page', async () => {
    await arrangeRebook()
    const dates = await get('nora', `/api/v1/me/bookings/${noraBooking.id}/rebook-dates`)
    const p = await page()
    await login(p, 'Nora Lind')
    const card = p.getByRole('article').filter({ hasText: 'Provtagning 1177' }).filter({ has: p.getByRole('button', { name: 'Omboka' }) })
    await card.getByRole('button', { name: 'Omboka' }).click()
    await p.waitForURL((url) => url.pathname.endsWith('/rebook') && url.searchParams.get('date') === dates.first_free_date)
    const calendar = p.getByRole('table')
    const chosen = calendar.locator('button[aria-pressed="true"]')
    await chosen.waitFor()
    assert.ok((await chosen.getAttribute('aria-label')).startsWith(`${longDate(dates.first_free_date)}, `), 'the first date with targets is chosen')

    // Only the chosen date's times, as the server lists them for that date.
    const first = await get('nora', `/api/v1/me/bookings/${noraBooking.id}/rebook-targets?from=${dates.first_free_date}&to=${dates.first_free_date}`)
    await p.getByRole('heading', { name: `Välj tid – ${longDate(dates.first_free_date)}` }).waitFor()
    await p.getByRole('radio').first().waitFor()
    const listed = await p.getByRole('radio').evaluateAll((els) => els.map((el) => el.closest('label').innerText.split('\n')[0]))
    assert.deepEqual(listed, first.map((s) => s.local_start_time))
    const all = dates.dates.reduce((n, d) => n + d.free_slots, 0)
    assert.ok(all > 5 * listed.length, `${listed.length} of ${all} targets listed`)

    // A day of the month without targets is disabled, one with targets is not.
    const month = dates.first_free_date.slice(0, 7)
    const withTargets = new Set(dates.dates.map((d) => d.date))
    const days = Array.from({ length: 31 }, (_, i) => `${month}-${String(i + 1).padStart(2, '0')}`).filter((d) => !Number.isNaN(Date.parse(`${d}T00:00:00Z`)) && addDays(d, 0) === d)
    const empty = days.find((d) => d >= dates.horizon_first && !withTargets.has(d)) ?? days.find((d) => !withTargets.has(d))
    assert.ok(await calendar.getByRole('button', { name: `${longDate(empty)}, inga lediga tider` }).isDisabled(), `${empty} has no targets and is disabled`)
    const other = dates.dates.find((d) => d.date.startsWith(month) && d.date !== dates.first_free_date)
    if (other) assert.ok(await calendar.getByRole('button', { name: new RegExp(`^${longDate(other.date)},`) }).isEnabled())

    const height = await p.evaluate(() => document.documentElement.scrollHeight)
    assert.ok(height < 3 * PHONE.height, `the rebook page is ${height} px high, under three screens`)
    await noSidewaysScroll(p, 'rebook')
    await view(p, 'resident-rebook-calendar')
    await p.close()
  })

  it('rebooking warns about a time within 24 hours when it is chosen and again at the confirmation, not about a later one', async () => {
    await arrangeRebook()
    const p = await page()
    await login(p, 'Nora Lind')
    await p.goto(`/bookings/${noraBooking.id}/rebook`)
    await chooseDay(p, near.local_date)
    const warning = p.getByText(within24h)
    await p.getByRole('radio', { name: new RegExp(`^${near.local_start_time}`) }).check()
    await warning.waitFor()
    await view(p, 'resident-rebook-within-24h')
    await p.getByRole('button', { name: 'Fortsätt' }).click()
    await p.getByRole('heading', { name: 'Bekräfta ombokningen' }).waitFor()
    await warning.waitFor()
    await p.getByRole('button', { name: 'Tillbaka' }).click()
    // A time three days or more ahead: no warning.
    const later = (await get('nora', `/api/v1/me/bookings/${noraBooking.id}/rebook-dates`)).dates.find((d) => d.date >= addDays(near.local_date, 3))
    await chooseDay(p, later.date)
    await p.getByRole('radio').first().check()
    await p.getByRole('button', { name: 'Fortsätt' }).click()
    await p.getByRole('heading', { name: 'Bekräfta ombokningen' }).waitFor()
    assert.equal(await warning.count(), 0, 'no warning for a time days ahead')
    await p.close()
  })

  it('rebooking ends with old → new to confirm; reload, Back and Forward keep the step; a time taken meanwhile is refused where she looks; the result takes focus', async () => {
    await arrangeRebook()
    const dates = await get('nora', `/api/v1/me/bookings/${noraBooking.id}/rebook-dates`)
    const later = dates.dates.find((d) => d.date >= addDays(near.local_date, 2) && d.date !== noraBooking.local_date && d.free_slots >= 2)
    const [taken, other] = await get('nora', `/api/v1/me/bookings/${noraBooking.id}/rebook-targets?from=${later.date}&to=${later.date}`)
    const p = await page()
    await login(p, 'Nora Lind')
    await p.goto(`/bookings/${noraBooking.id}/rebook`)
    await chooseDay(p, later.date)
    await p.getByRole('radio', { name: new RegExp(`^${taken.local_start_time}`) }).check()
    await p.waitForURL((url) => url.searchParams.get('slot') === taken.id)
    await p.getByRole('button', { name: 'Fortsätt' }).click()
    const confirm = p.getByRole('heading', { name: 'Bekräfta ombokningen' })
    await confirm.waitFor()
    await p.waitForURL((url) => url.searchParams.get('step') === 'confirm')
    const confirmUrl = p.url()
    assert.equal(await confirm.evaluate((el) => el === document.activeElement), true, 'the step’s heading has focus')

    // The time now and the new one, each with date, time, unit and practitioner.
    const moment = (title) => p.locator('.moment').filter({ has: p.getByRole('heading', { name: title }) })
    await moment('Nuvarande tid').getByText(`${longDate(noraBooking.local_date)} kl. ${noraBooking.local_start_time}`).waitFor()
    await moment('Ny tid').getByText(`${longDate(later.date)} kl. ${taken.local_start_time}`).waitFor()
    for (const title of ['Nuvarande tid', 'Ny tid']) {
      await moment(title).getByText(PAARP).waitFor()
      await moment(title).getByText('Karin Berg').waitFor()
    }
    const [oldBox, newBox] = [await moment('Nuvarande tid').boundingBox(), await moment('Ny tid').boundingBox()]
    assert.ok(oldBox.y + oldBox.height <= newBox.y, 'the old time above the new one')
    await noSidewaysScroll(p, 'rebook confirm')
    await view(p, 'resident-rebook-confirm')

    await p.reload()
    await confirm.waitFor()
    assert.equal(p.url(), confirmUrl)
    await p.goBack()
    await p.getByRole('heading', { name: 'Välj ny dag och tid' }).waitFor()
    assert.ok(await p.getByRole('radio', { name: new RegExp(`^${taken.local_start_time}`) }).isChecked(), 'the chosen time is still chosen')
    await p.goForward()
    await confirm.waitFor()
    assert.equal(p.url(), confirmUrl)

    // Meanwhile Erik takes that time.
    const erik = await api('erik', 'POST', '/api/v1/me/bookings', { slot_id: taken.id, reason_for_visit: 'Provtagning (e2e, hann före)', terms_accepted: true })
    assert.equal(erik.status, 201, JSON.stringify(erik.body))
    await p.getByRole('button', { name: 'Omboka tiden' }).click()
    const refusal = p.locator('.result', { hasText: 'Tiden hann bokas av någon annan. Välj en annan tid.' })
    await refusal.waitFor()
    await p.waitForFunction(() => document.activeElement?.classList.contains('result'))
    assert.ok(await inView(refusal), 'the refusal is in view')
    await view(p, 'resident-rebook-taken')
    await p.getByRole('button', { name: 'Välj en annan tid' }).click()
    await p.getByRole('heading', { name: `Välj tid – ${longDate(later.date)}` }).waitFor()
    await p.getByRole('radio', { name: new RegExp(`^${other.local_start_time}`) }).waitFor()
    assert.equal(await p.getByRole('radio', { name: new RegExp(`^${taken.local_start_time}`) }).count(), 0, 'the taken time is no longer offered')

    await p.getByRole('radio', { name: new RegExp(`^${other.local_start_time}`) }).check()
    await p.getByRole('button', { name: 'Fortsätt' }).click()
    await p.getByRole('button', { name: 'Omboka tiden' }).click()
    const message = p.locator('.result', { hasText: `Tiden är ombokad till ${longDate(later.date)} kl. ${other.local_start_time}.` })
    await message.waitFor()
    await p.waitForFunction(() => document.activeElement?.classList.contains('result'))
    assert.ok(await inView(message))
    await view(p, 'resident-rebooked')
    const moved = (await get('nora', '/api/v1/me/bookings')).find((b) => b.rebooked_from === noraBooking.id)
    assert.equal(moved?.id, new URL(p.url()).searchParams.get('booking'))
    assert.equal(moved.local_start_time, other.local_start_time)
    // Reload keeps the result; Back does not offer to move the old booking again.
    await p.reload()
    await message.waitFor()
    await p.goBack()
    await p.getByText('Tiden är flyttad till en ny tid.', { exact: false }).waitFor()
    assert.equal(await p.getByRole('radio').count(), 0)
    await p.close()
  })

  it('a booking within 24 hours cannot be rebooked online: the page says why, with the phone, and offers no times', async () => {
    await arrangeRebook()
    const r = await api('nora', 'POST', '/api/v1/me/bookings', { slot_id: near.id, reason_for_visit: 'Blodprov (e2e, snart)', terms_accepted: true })
    assert.equal(r.status, 201, JSON.stringify(r.body))
    const soon = r.body
    assert.equal(soon.cannot_rebook_reason, 'cancellation_window_closed')
    const p = await page()
    await login(p, 'Nora Lind')
    await p.goto(`/bookings/${soon.id}/rebook`)
    await p.getByText('Det är mindre än 24 timmar kvar till besöket. Ring mottagningen om du vill ändra tiden.').waitFor()
    assert.equal(await p.getByRole('main').locator('a[href^="tel:"]').count(), 1, 'with the unit’s phone')
    assert.equal(await p.getByRole('table').count(), 0, 'no calendar')
    assert.equal(await p.getByRole('radio').count(), 0, 'no times')
    await view(p, 'resident-rebook-closed')
    await p.close()
  })

  it('public holidays are not offered: the server lists no free time on one, and the calendar shows the day without times (rule 22)', async (t) => {
    const unit = await unitId(PAARP)
    const type = (await get('erik', `/api/v1/units/${unit}/appointment-types`)).find((x) => x.name === 'Provtagning 1177')
    const dates = await get('erik', `/api/v1/units/${unit}/appointment-types/${type.id}/available-dates`)
    // The holidays the template has blocks on within the horizon, as publishing reports them (a dry run).
    const karin = (await get('sara', `/api/v1/units/${unit}/practitioners`)).find((x) => x.name === 'Karin Berg')
    const plan = await api('sara', 'POST', `/api/v1/practitioners/${karin.id}/publish`, { from: addDays(dates.horizon_first, 1), to: dates.horizon_last, dry_run: true })
    assert.equal(plan.status, 200, JSON.stringify(plan.body))
    const holiday = plan.body.skipped_holidays[0]?.date
    if (!holiday) return t.skip(`no weekday holiday between ${dates.horizon_first} and ${dates.horizon_last}`)
    assert.ok(!dates.dates.some((d) => d.date === holiday), `${holiday} has no free times: ${JSON.stringify(dates.dates.map((d) => d.date))}`)

    const p = await page()
    await login(p, 'Erik Nilsson')
    await p.goto(`/units/${unit}/book`)
    await p.getByLabel('Jag har tagit del av den fullständiga informationen').check()
    await p.getByRole('button', { name: 'Fortsätt' }).click()
    await p.getByRole('radio', { name: /^Provtagning 1177/ }).check()
    await p.getByRole('button', { name: 'Fortsätt' }).click()
    await p.getByRole('table').locator('button[aria-pressed="true"]').waitFor()
    const day = p.getByRole('table').getByRole('button', { name: `${longDate(holiday)}, inga lediga tider` })
    for (let i = 0; i < 3 && !(await day.count()); i++) await p.getByRole('button', { name: 'Nästa månad' }).click()
    assert.ok(await day.isDisabled(), `${holiday} is not offered`)
    await p.close()
  })

  it('settings: a refused number is explained in Swedish at the field, which takes focus; a save confirms in focus', async () => {
    const p = await page()
    await login(p, 'Erik Nilsson')
    await p.getByRole('navigation').getByRole('link', { name: 'Aviseringar', exact: true }).click()
    const phone = p.getByLabel('Mobilnummer')
    await phone.fill('12')
    await p.getByLabel('Avisering via sms').check()
    await p.getByRole('button', { name: 'Spara' }).click()
    await p.waitForFunction(() => document.activeElement?.getAttribute('aria-invalid') === 'true')
    assert.equal(await phone.evaluate((el) => el === document.activeElement), true, 'the refused field has focus')
    const error = await p.locator('.field__error').innerText()
    assert.ok(error.length > 0 && !/[a-z]+ [a-z]+ (a|an|the) /i.test(error) && !/mobile|number|invalid/i.test(error), `a Swedish text, not the server’s: ${error}`)
    await view(p, 'resident-settings-refused')
    await phone.fill('070-123 45 67')
    await p.getByRole('button', { name: 'Spara' }).click()
    const saved = p.locator('.result', { hasText: 'Sparat.' })
    await saved.waitFor()
    await p.waitForFunction(() => document.activeElement?.classList.contains('result'))
    assert.ok(await inView(saved))
    await view(p, 'resident-settings-saved')
    // Reminders: by the channels chosen, each switchable.
    const reminders = p.getByRole('group', { name: 'Påminnelser före besöket' })
    await reminders.getByLabel('Påminnelse via sms').uncheck()
    await p.getByRole('button', { name: 'Spara' }).click()
    await p.locator('.result', { hasText: 'Sparat.' }).waitFor()
    const settings = await get('erik', '/api/v1/me/notification-settings')
    assert.equal(settings.sms_reminders, false)
    assert.equal(settings.sms_enabled, true, 'notices by SMS stay on')
    await reminders.scrollIntoViewIfNeeded()
    await view(p, 'resident-settings-reminders')
    await p.close()
  })

  it('a reminder’s link opens the bookings on that booking, in focus and in view; its calendar file downloads', async () => {
    const p = await page()
    await login(p, 'Anna Svensson')
    const mine = await get('anna', '/api/v1/me/bookings')
    const target = mine.filter((b) => b.status === 'booked').at(-1)
    await p.goto(`${server.url}/bookings?booking=${target.id}`)
    await p.waitForFunction((id) => document.activeElement?.id === `booking-${id}`, target.id)
    assert.ok(await inView(p.locator(`[id="booking-${target.id}"] h2`)))
    await view(p, 'resident-bookings-linked')
    // Rule 18: the booking's calendar file, as a download the phone opens in its calendar.
    const [download] = await Promise.all([
      p.waitForEvent('download'),
      p.locator(`[id="booking-${target.id}"]`).getByRole('button', { name: 'Lägg till i kalendern' }).click(),
    ])
    assert.equal(download.suggestedFilename(), 'tid.ics')
    const { readFile } = await import('node:fs/promises')
    const ics = await readFile(await download.path(), 'utf8')
    assert.match(ics, /^BEGIN:VCALENDAR/)
    assert.match(ics, /METHOD:REQUEST/)
    assert.ok(!ics.includes('Uppföljning (e2e)'), 'never the reason for visit')
    await p.goto(`${server.url}/bookings?booking=${crypto.randomUUID()}`)
    await p.getByText('Bokningen i länken finns inte längre bland dina bokningar.').waitFor()
    await p.close()
  })

  it('a resident at the cap of bookings of one type is told so in Swedish, with the number', async () => {
    const unit = await unitId(PAARP)
    const type = (await get('erik', `/api/v1/units/${unit}/appointment-types`)).find((t) => t.name === 'Sköterska Besök 1177')
    const dates = await get('erik', `/api/v1/units/${unit}/appointment-types/${type.id}/available-dates`)
    const slots = []
    for (const d of dates.dates.slice(1)) {
      slots.push(...(await get('erik', `/api/v1/units/${unit}/appointment-types/${type.id}/slots?date=${d.date}`)))
      if (slots.length >= 6) break
    }
    let max = null
    for (const slot of slots) {
      const r = await api('erik', 'POST', '/api/v1/me/bookings', { slot_id: slot.id, reason_for_visit: 'Kontroll (e2e)', terms_accepted: true })
      if (r.status === 422) {
        assert.equal(r.body.type, 'https://tidbok.se/problems/booking-limit-reached')
        max = r.body.max
        break
      }
      assert.equal(r.status, 201, JSON.stringify(r.body))
    }
    assert.ok(max, 'the cap was reached')

    const p = await page()
    await login(p, 'Erik Nilsson')
    await p.goto(`/units/${unit}/book`)
    await p.getByLabel('Jag har tagit del av den fullständiga informationen').check()
    await p.getByRole('button', { name: 'Fortsätt' }).click()
    await p.getByRole('radio', { name: /^Sköterska Besök 1177/ }).check()
    await p.getByRole('button', { name: 'Fortsätt' }).click()
    await p.getByRole('radio').last().check()
    await p.getByRole('button', { name: 'Fortsätt' }).click()
    await p.getByLabel('Beskriv kort varför du söker vård').fill('En till (e2e)')
    await p.getByRole('button', { name: 'Fortsätt' }).click()
    await p.getByRole('button', { name: 'Boka tiden' }).click()
    const alert = p.getByRole('alert')
    await alert.getByText(`Du har redan ${max} bokade tider av den här typen. Avboka en av dem eller ring mottagningen.`).waitFor()
    assert.equal(await alert.locator('a[href^="tel:"]').count(), 1, 'with the unit’s phone')
    await view(p, 'resident-book-limit')
    await p.close()
  })

  it('the access log groups repeated views into one row in words, readable on a phone', async () => {
    // Sara looks at the book three times: three entries for each resident in it.
    const unit = await unitId(PAARP)
    const day = (offset) => new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Stockholm' }).format(new Date(Date.now() + offset * 86_400_000))
    for (let i = 0; i < 3; i++) assert.equal((await api('sara', 'GET', `/api/v1/units/${unit}/book?from=${day(0)}&to=${day(27)}`)).status, 200)
    const raw = await get('anna', '/api/v1/me/access-log')
    const views = raw.filter((e) => e.action === 'view_book' && e.who === 'Sara Ek')
    assert.ok(views.length >= 3, `Sara’s views are logged (${views.length})`)

    const p = await page()
    await login(p, 'Anna Svensson')
    await p.getByRole('navigation').getByRole('link', { name: 'Loggutdrag', exact: true }).click()
    const row = p.getByRole('listitem').filter({ hasText: 'Sara Ek' }).filter({ hasText: 'Tittade i tidboken' })
    await row.first().waitFor()
    assert.equal(await row.count(), 1, 'one row for the views of one day')
    await row.getByText(`Tittade i tidboken ${views.length} gånger`).waitFor()
    await row.getByText(PAARP).waitFor()
    assert.match(await row.innerText(), /kl\. \d\d:\d\d(–\d\d:\d\d)?/)
    assert.equal(await p.locator('table').count(), 0, 'cards, not a wide table')
    await noSidewaysScroll(p, 'access log')
    await view(p, 'resident-access-log-grouped')
    await p.getByRole('button', { name: 'In English' }).click()
    await p.getByRole('heading', { name: 'Access log' }).waitFor()
    await row.first().waitFor({ state: 'detached' })
    await p.getByText(`Looked at the appointment book ${views.length} times`).waitFor()
    await assertAccessible(p, 'resident-access-log-en')
    await p.getByRole('button', { name: 'På svenska' }).click()
    await p.getByRole('heading', { name: 'Loggutdrag' }).waitFor()
    await p.close()
  })

  it('the 404 page says it once and leads home, or to the login', async () => {
    const p = await page()
    await login(p, 'Anna Svensson')
    await p.goto('/finns-inte')
    await p.getByRole('heading', { name: 'Sidan finns inte', level: 1 }).waitFor()
    assert.equal(await p.getByRole('main').getByText(/finns inte/).count(), 1, 'said once')
    await view(p, 'resident-not-found')
    await p.getByRole('link', { name: 'Till dina bokade tider' }).click()
    await p.waitForURL('**/bookings')
    await p.getByRole('button', { name: 'Logga ut' }).click()
    await p.waitForURL('**/login')
    await p.goto('/finns-inte/heller')
    await p.getByRole('link', { name: 'Till inloggningen' }).click()
    await p.waitForURL('**/login')
    await p.close()
  })

  it('the remaining resident views pass axe and fit the phone', async () => {
    const p = await page()
    await login(p, 'Anna Svensson')
    for (const [path, heading, name] of [
      ['/bookings', 'Bokade tider', 'resident-bookings'],
      ['/units', 'Boka tid', 'resident-units'],
      [`/units/${await unitId(PAARP)}`, PAARP, 'resident-unit'],
      ['/inbox', 'Inkorg', 'resident-inbox'],
      ['/settings', 'Aviseringar', 'resident-settings'],
      ['/access-log', 'Loggutdrag', 'resident-access-log'],
    ]) {
      await p.goto(path)
      await p.getByRole('heading', { name: heading, level: 1 }).waitFor()
      await noSidewaysScroll(p, name)
      await view(p, name)
    }
    await p.close()
  })

  it('no request left 127.0.0.1, and the app logged no error', () => {
    assert.deepEqual(offsite, [])
    assert.deepEqual(consoleErrors, [])
  })
})

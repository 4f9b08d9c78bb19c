// The end-to-end story of docs/domain.md in a real browser against the real
// server: regional admin → unit admin → staff schedule → resident books with
// terms and reason → staff see the reason → resident rebooks → resident
// cancels with a reason → staff see it struck through → staff book a
// cancelable type → the resident is notified, can cancel, cannot rebook.
// Also: the refusal inside 24 hours, booking by keyboard alone, axe on every
// view, and no request leaving 127.0.0.1.
import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { DESKTOP, PHONE, assertAccessible, launchBrowser, login, newContext, startServer, tabTo, unavailable, view } from './harness.mjs'

const ANNA = { name: 'Anna Svensson', pnr: '198503142385' }
const REASON = 'Blodprov inför årskontroll (e2e)'
const CANCEL_REASON = 'Jag är frisk igen (e2e)'

const skip = unavailable()

describe('Tidbok in a browser', { skip: skip ?? false }, () => {
  let server
  let browser
  const offsite = []
  const contexts = {}

  before(async () => {
    server = await startServer()
    browser = await launchBrowser()
    contexts.phone = await newContext(browser, server, PHONE, offsite)
    contexts.desktop = await newContext(browser, server, DESKTOP, offsite)
  })

  after(async () => {
    await browser?.close()
    server?.stop()
  })

  /** A fresh page (and so a fresh session) of the given viewport. */
  const page = async (kind) => {
    const p = await contexts[kind].newPage()
    p.setDefaultTimeout(15_000)
    return p
  }

  /** The API, as the logged-in user of `p` (for looking things up, not acting). */
  const api = async (p, path) => {
    const session = JSON.parse(await p.evaluate(() => sessionStorage.getItem('tidbok.session')))
    const response = await fetch(`${server.url}${path}`, { headers: { Authorization: `Bearer ${session.token}` } })
    assert.equal(response.status, 200, `${path}: ${response.status}`)
    return response.json()
  }

  /** Clicks "Nästa vecka" until the staff book shows the week of `date`. */
  const showWeekOf = async (p, date) => {
    const monday = (d) => {
      const x = new Date(`${d}T00:00:00Z`)
      x.setUTCDate(x.getUTCDate() - ((x.getUTCDay() + 6) % 7))
      return x
    }
    const today = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Stockholm' }).format(new Date())
    const weeks = Math.round((monday(date) - monday(today)) / (7 * 24 * 3600 * 1000))
    for (let i = 0; i < weeks; i++) await p.getByRole('button', { name: 'Nästa vecka ›' }).click()
    await p.waitForLoadState('networkidle')
  }

  let booked // { id, local_date }

  it('a regional admin keeps the catalogue and sees the unit’s services', async () => {
    const p = await page('desktop')
    await p.goto('/login')
    await p.getByRole('button', { name: 'Logga in som Rolf Holm' }).waitFor()
    await view(p, 'login')
    await login(p, 'Rolf Holm')
    await p.waitForURL('**/admin/catalogue')
    const row = p.getByRole('row', { name: /Provtagning 1177/ })
    await assert.doesNotReject(row.getByText('Kan bokas, av- och ombokas').waitFor())
    await view(p, 'admin-catalogue')
    await p.getByRole('link', { name: 'E-tjänster', exact: true }).click()
    await p.getByLabel('Enhet').selectOption({ label: 'Vårdcentralen Påarp-Mörarp' })
    const booking = p.getByRole('region', { name: '1. Boka tid online' })
    await booking.getByText('Aktiverad').waitFor()
    await view(p, 'admin-services-regional')
    await p.close()
  })

  it('a unit admin writes the terms, previews them and activates the service', async () => {
    const p = await page('desktop')
    await login(p, 'Ulla Åberg')
    await p.getByRole('link', { name: 'E-tjänster', exact: true }).click()
    const service = p.getByRole('region', { name: '1. Boka tid online' })
    const text = service.getByLabel('Villkorstext (Boka tid online)')
    await text.fill('Här kan du själv boka vissa tider till oss.\n\n- **Provtagning** – tid för provtagning (e2e).\n- Av- och omboka fram till 24 timmar innan.')
    await service.getByRole('button', { name: 'Förhandsgranska' }).click()
    const preview = service.getByRole('region', { name: 'Så här ser invånaren texten' })
    await preview.locator('strong', { hasText: 'Provtagning' }).waitFor()
    await service.getByRole('button', { name: 'Spara' }).first().click()
    await service.getByText('Villkorstexten är sparad.').waitFor()
    await service.getByLabel('Aktiverad').check()
    await service.getByLabel('För alla invånare').check()
    await service.getByRole('button', { name: 'Spara' }).nth(1).click()
    await view(p, 'admin-services-unit')
    await p.getByRole('link', { name: 'Logg', exact: true }).click()
    await p.getByRole('heading', { name: 'Logg' }).waitFor()
    await view(p, 'admin-access-log')
    await p.close()
  })

  it('staff keep the schedule eight weeks ahead', async () => {
    const p = await page('desktop')
    await login(p, 'Sara Ek')
    await p.waitForURL('**/staff/book')
    await view(p, 'staff-book-week')
    await p.getByRole('link', { name: 'Schemaläggning', exact: true }).click()
    await p.getByText('Schemat räcker 8 veckor framåt.').waitFor()
    await p.getByLabel('Vårdgivare', { exact: true }).selectOption({ label: 'Karin Berg' })
    await p.getByRole('table', { name: 'Mall' }).getByRole('row').nth(1).waitFor()
    await p.getByRole('button', { name: 'Förhandsgranska' }).click()
    await p.getByRole('button', { name: 'Publicera', exact: true }).click()
    await p.getByText(/0 tider skapade/).waitFor()
    await view(p, 'staff-schedule')
    await p.close()
  })

  it('a resident books with terms and a reason, the first free day preselected', async () => {
    const p = await page('phone')
    await login(p, ANNA.name)
    await p.waitForURL('**/bookings')
    await view(p, 'resident-bookings')
    await p.getByRole('link', { name: 'Boka tid', exact: true }).click()
    await view(p, 'resident-units')
    await p.getByRole('link', { name: 'Vårdcentralen Påarp-Mörarp' }).click()
    await view(p, 'resident-unit')
    await p.getByRole('link', { name: '1. Boka tid online' }).click()
    await p.getByText('tid för provtagning (e2e)').waitFor()
    await p.getByRole('button', { name: 'Fortsätt' }).click()
    await p.getByText('Du behöver bekräfta att du har tagit del av informationen.').waitFor()
    await p.getByLabel('Jag har tagit del av den fullständiga informationen').check()
    await p.getByRole('button', { name: 'Fortsätt' }).click()
    await p.getByLabel('Provtagning 1177').check()
    await p.getByRole('button', { name: 'Fortsätt' }).click()
    const calendar = p.getByRole('table')
    const chosen = calendar.locator('button[aria-pressed="true"]')
    await chosen.waitFor()
    const firstEnabled = calendar.locator('button:not([disabled])').first()
    assert.equal(await chosen.getAttribute('aria-label'), await firstEnabled.getAttribute('aria-label'), 'the first free day is preselected')
    await view(p, 'resident-book-calendar')
    // 08:30 on the first day that has it and is more than 24 hours away, so
    // that it can be rebooked and cancelled online later.
    const unit = (await api(p, '/api/v1/units')).find((u) => u.name === 'Vårdcentralen Påarp-Mörarp')
    const type = (await api(p, `/api/v1/units/${unit.id}/appointment-types`)).find((t) => t.name === 'Provtagning 1177')
    const dates = await api(p, `/api/v1/units/${unit.id}/appointment-types/${type.id}/available-dates`)
    let target = null
    for (const d of dates.dates) {
      const slots = await api(p, `/api/v1/units/${unit.id}/appointment-types/${type.id}/slots?date=${d.date}`)
      const slot = slots.find((s) => s.local_start_time === '08:30')
      if (slot && new Date(slot.starts_at) - Date.now() > 26 * 3600 * 1000) {
        target = d.date
        break
      }
    }
    assert.ok(target, 'an 08:30 more than a day ahead')
    const when = new Date(`${target}T12:00:00Z`)
    const monthName = new Intl.DateTimeFormat('sv-SE', { month: 'long', timeZone: 'UTC' }).format(when)
    const dayButton = calendar.getByRole('button', { name: new RegExp(`^\\S+ ${when.getUTCDate()} ${monthName} ${when.getUTCFullYear()},`) })
    for (let i = 0; i < 3 && !(await dayButton.count()); i++) await p.getByRole('button', { name: 'Nästa månad' }).click()
    await dayButton.click()
    const time = p.getByRole('radio', { name: /^08:30/ })
    await time.check()
    await p.getByRole('button', { name: 'Fortsätt' }).click()
    await p.getByLabel('Beskriv kort varför du söker vård').fill(REASON)
    await p.getByRole('button', { name: 'Fortsätt' }).click()
    await view(p, 'resident-book-confirm')
    await p.getByRole('button', { name: 'Boka tiden' }).click()
    await p.getByRole('heading', { name: 'Tiden är bokad' }).waitFor()
    await view(p, 'resident-book-done')
    const mine = await api(p, '/api/v1/me/bookings')
    booked = mine.find((b) => b.reason_for_visit === REASON)
    assert.ok(booked, 'the booking is listed')
    assert.equal(booked.local_start_time, '08:30')
    await p.close()
  })

  it('staff see the booking in the book with its reason for visit', async () => {
    const p = await page('desktop')
    await login(p, 'Sara Ek')
    await p.getByLabel('Vårdgivare').selectOption({ label: 'Karin Berg' })
    await showWeekOf(p, booked.local_date)
    const slot = p.getByRole('button', { name: new RegExp(`08:30, Provtagning 1177, Karin Berg, ${ANNA.name}, ${REASON.replace(/[()]/g, '\\$&')}`) })
    await slot.waitFor()
    await slot.click()
    await p.getByRole('dialog').getByText(REASON).waitFor()
    await view(p, 'staff-booking-dialog')
    await p.getByRole('dialog').getByRole('button', { name: 'Stäng' }).click()
    await p.close()
  })

  it('the resident rebooks to another 08:50 of the same type and practitioner, then cancels with a reason', async () => {
    const p = await page('phone')
    await login(p, ANNA.name)
    const card = p.getByRole('article').filter({ hasText: REASON.length ? 'Provtagning 1177' : '' }).filter({ hasText: '08:30' })
    await card.getByRole('button', { name: 'Omboka' }).click()
    await p.getByText('Du kan bara omboka till en tid av samma slag').waitFor()
    // The booking flow's calendar, with the first date that has a target chosen.
    const calendar = p.getByRole('table')
    await calendar.locator('button[aria-pressed="true"]').waitFor()
    await view(p, 'resident-rebook')
    // An 08:50 of the same type and practitioner on another day, more than a
    // day ahead, so that it can still be cancelled online below.
    const dates = await api(p, `/api/v1/me/bookings/${booked.id}/rebook-dates`)
    let target = null
    for (const d of dates.dates) {
      if (d.date === booked.local_date) continue
      const slots = await api(p, `/api/v1/me/bookings/${booked.id}/rebook-targets?from=${d.date}&to=${d.date}`)
      target = slots.find((s) => s.local_start_time === '08:50' && new Date(s.starts_at) - Date.now() > 26 * 3600 * 1000) ?? null
      if (target) break
    }
    assert.ok(target, 'an 08:50 to move to')
    const when = new Date(`${target.local_date}T12:00:00Z`)
    const longDate = new Intl.DateTimeFormat('sv-SE', { timeZone: 'UTC', weekday: 'long', day: 'numeric', month: 'long', year: 'numeric' }).format(when)
    const dayButton = calendar.getByRole('button', { name: new RegExp(`^${longDate},`) })
    for (let i = 0; i < 3 && !(await dayButton.count()); i++) await p.getByRole('button', { name: 'Nästa månad' }).click()
    await dayButton.click()
    await p.getByRole('heading', { name: `Välj tid – ${longDate}` }).waitFor()
    await p.getByRole('radio', { name: /^08:50/ }).check()
    await p.getByRole('button', { name: 'Fortsätt' }).click()
    // Old time → new time, each with its date, time, unit and practitioner.
    await p.getByRole('heading', { name: 'Bekräfta ombokningen' }).waitFor()
    const now = p.locator('.moment').filter({ has: p.getByRole('heading', { name: 'Nuvarande tid' }) })
    const next = p.locator('.moment').filter({ has: p.getByRole('heading', { name: 'Ny tid' }) })
    await now.getByText(/kl\. 08:30$/).waitFor()
    await next.getByText(`${longDate} kl. 08:50`).waitFor()
    for (const moment of [now, next]) {
      await moment.getByText('Vårdcentralen Påarp-Mörarp').waitFor()
      await moment.getByText('Karin Berg').waitFor()
    }
    await view(p, 'resident-rebook-story-confirm')
    await p.getByRole('button', { name: 'Omboka tiden' }).click()
    await p.getByText(/Tiden är ombokad till/).waitFor()
    const mine = await api(p, '/api/v1/me/bookings')
    const moved = mine.find((b) => b.reason_for_visit === REASON)
    assert.equal(moved.local_start_time, '08:50')
    assert.equal(moved.rebooked_from, booked.id)
    assert.equal(moved.practitioner.name, 'Karin Berg')
    booked = moved

    await p.getByRole('link', { name: 'Bokade tider', exact: true }).click()
    const movedCard = p.getByRole('article').filter({ hasText: '08:50' }).filter({ hasText: 'Provtagning 1177' })
    await movedCard.getByRole('button', { name: 'Avboka' }).click()
    const dialog = p.getByRole('dialog', { name: 'Avboka tid' })
    await dialog.getByRole('button', { name: 'Avboka tiden' }).click()
    await dialog.getByText('Skriv varför du avbokar tiden.').waitFor()
    await view(p, 'resident-cancel-dialog')
    await dialog.getByLabel('Orsak till avbokningen').fill(CANCEL_REASON)
    await dialog.getByRole('button', { name: 'Avboka tiden' }).click()
    await p.getByText(/Tiden är avbokad/).waitFor()
    const after = await api(p, '/api/v1/me/bookings')
    assert.ok(!after.some((b) => b.id === booked.id), 'the cancelled booking left the list')
    await p.close()
  })

  it('staff see the cancellation struck through with its reason, and in the feed', async () => {
    const p = await page('desktop')
    await login(p, 'Sara Ek')
    await p.getByLabel('Vårdgivare').selectOption({ label: 'Karin Berg' })
    await showWeekOf(p, booked.local_date)
    await p.locator('del', { hasText: CANCEL_REASON }).waitFor()
    await view(p, 'staff-book-cancelled')
    await p.getByRole('link', { name: 'Avbokningar', exact: true }).click()
    await p.getByRole('cell', { name: CANCEL_REASON }).waitFor()
    await p.getByRole('cell', { name: /Ombokad till/ }).waitFor()
    await view(p, 'staff-cancellations')
    await p.close()
  })

  it('staff book the resident a cancelable reception time; she is notified, can cancel, cannot rebook', async () => {
    const s = await page('desktop')
    await login(s, 'Sara Ek')
    await s.getByLabel('Vårdgivare').selectOption({ label: 'Ahmed Karimi' })
    await s.getByRole('button', { name: 'Nästa vecka ›' }).click()
    const free = s.getByRole('button', { name: /Mottagningstid, Ahmed Karimi, Ledig/ }).first()
    await free.click()
    const dialog = s.getByRole('dialog')
    await dialog.getByLabel('Personnummer').fill(ANNA.pnr)
    await dialog.getByLabel('Sökorsak').fill('Uppföljning (e2e)')
    await view(s, 'staff-new-booking')
    await dialog.getByRole('button', { name: `Boka in ${ANNA.name}` }).click()
    await dialog.waitFor({ state: 'hidden' })
    await s.getByRole('button', { name: 'Ny bokning' }).click()
    await view(s, 'staff-ad-hoc-dialog')
    await s.close()

    const p = await page('phone')
    await login(p, ANNA.name)
    await p.getByRole('link', { name: /^Inkorg(, \d+ olästa?)?$/ }).click()
    await p.getByText(/Du har fått en tid/).first().click()
    await view(p, 'resident-inbox')
    await p.getByRole('link', { name: 'Bokade tider', exact: true }).click()
    const card = p.getByRole('article').filter({ hasText: 'Mottagningstid' }).filter({ hasText: 'Ahmed Karimi' })
    await card.getByRole('button', { name: 'Avboka' }).waitFor()
    assert.equal(await card.getByRole('button', { name: 'Omboka' }).count(), 0, 'no online rebooking')
    await card.getByText('Denna mottagning tillåter inte ombokning av denna tid via e-tjänsten.').waitFor()
    // The demo booking that starts within 24 hours: no change buttons (only
    // its calendar file), call the unit.
    const soon = p.getByRole('article').filter({ hasText: 'mindre än 24 timmar kvar' }).first()
    await soon.waitFor()
    assert.deepEqual(await soon.getByRole('button').allInnerTexts(), ['Lägg till i kalendern'], 'no online change inside 24 hours')
    await view(p, 'resident-bookings-after')
    await p.getByRole('link', { name: 'Aviseringar', exact: true }).click()
    await p.getByLabel('Mobilnummer').fill('070-123 45 67')
    await p.getByLabel('Avisering via sms').check()
    await p.getByRole('button', { name: 'Spara' }).click()
    await p.getByText('Sparat.').waitFor()
    assert.equal(await p.getByLabel('Mobilnummer').inputValue(), '+46701234567')
    await view(p, 'resident-settings')
    await p.getByRole('link', { name: 'Loggutdrag', exact: true }).click()
    await p.getByRole('listitem').filter({ hasText: 'Sara Ek' }).first().waitFor()
    await view(p, 'resident-access-log')
    await p.getByRole('button', { name: 'In English' }).click()
    await p.getByRole('heading', { name: 'Access log' }).waitFor()
    await assertAccessible(p, 'resident-access-log-en')
    await p.getByRole('button', { name: 'På svenska' }).click()
    await p.close()
  })

  it('a resident books with the keyboard alone', async () => {
    const p = await page('phone')
    await p.goto('/login')
    await tabTo(p, p.getByRole('button', { name: 'Logga in som Erik Nilsson' }))
    await p.keyboard.press('Enter')
    await p.waitForURL('**/bookings')
    await tabTo(p, p.getByRole('link', { name: 'Boka tid', exact: true }))
    await p.keyboard.press('Enter')
    await tabTo(p, p.getByRole('link', { name: 'Vårdcentralen Påarp-Mörarp' }))
    await p.keyboard.press('Enter')
    await tabTo(p, p.getByRole('link', { name: '1. Boka tid online' }))
    await p.keyboard.press('Enter')
    await tabTo(p, p.getByLabel('Jag har tagit del av den fullständiga informationen'))
    await p.keyboard.press('Space')
    await tabTo(p, p.getByRole('button', { name: 'Fortsätt' }))
    await p.keyboard.press('Enter')
    const provtagning = p.getByRole('radio', { name: 'Provtagning 1177' })
    await tabTo(p, p.getByRole('radio').and(p.locator(':not([disabled])')).first())
    for (let i = 0; i < 10 && !(await provtagning.evaluate((el) => el === document.activeElement)); i++) await p.keyboard.press('ArrowDown')
    assert.ok(await provtagning.isChecked(), 'arrow keys choose the type')
    await tabTo(p, p.getByRole('button', { name: 'Fortsätt' }))
    await p.keyboard.press('Enter')
    await p.locator('button[aria-pressed="true"]').waitFor()
    const firstTime = p.getByRole('radio').first()
    await firstTime.waitFor()
    await tabTo(p, firstTime)
    await p.keyboard.press('Space')
    await tabTo(p, p.getByRole('button', { name: 'Fortsätt' }))
    await p.keyboard.press('Enter')
    await tabTo(p, p.getByLabel('Beskriv kort varför du söker vård'))
    await p.keyboard.type('Provtagning, bokad med tangentbordet')
    await tabTo(p, p.getByRole('button', { name: 'Fortsätt' }))
    await p.keyboard.press('Enter')
    await tabTo(p, p.getByRole('button', { name: 'Boka tiden' }))
    await p.keyboard.press('Enter')
    await p.getByRole('heading', { name: 'Tiden är bokad' }).waitFor()
    await p.close()
  })

  it('no request left 127.0.0.1', () => {
    assert.deepEqual(offsite, [])
  })
})

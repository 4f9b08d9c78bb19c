// Booking for one's child (rule 17) in the browser, against the real server:
// Anna, on her phone, sees under the menu whom she books for, and that Oskar
// (14) books for himself; she switches to Elsa (6): the portal is Elsa's
// (her nurse's visit, "booked by a guardian"), the notification settings are
// gone from the menu, a type for adults says Elsa cannot book it; Anna books
// a sample test for Elsa, which appears on Elsa's list and not on her own,
// cancels it after a confirm, and switches back. Rolf, the regional admin,
// on a desktop, sees the age limit and the register's size, and a register
// file with a bad line is refused line by line in Swedish. Axe and a
// screenshot on every view.
import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { DESKTOP, PHONE, launchBrowser, login, newContext, startServer, unavailable, view } from './harness.mjs'

const skip = unavailable()

describe('a guardian books for their child under the child’s rules', { skip: skip ?? false }, () => {
  let server
  let browser
  let phone
  let desktop
  const offsite = []

  before(async () => {
    server = await startServer()
    browser = await launchBrowser()
    phone = await newContext(browser, server, PHONE, offsite)
    desktop = await newContext(browser, server, DESKTOP, offsite)
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

  it('the guardian switches to the child, books and cancels for her, and switches back', async () => {
    const p = await page(phone)
    await login(p, 'Anna Svensson')
    await p.goto('/bookings')
    const switcher = p.getByRole('combobox', { name: 'Bokar för' })
    await switcher.waitFor()
    assert.equal(await switcher.locator('option:checked').innerText(), 'Anna Svensson (du)')
    await p.getByText('Oskar Svensson är 14 år och bokar själv med e-legitimation.').waitFor()
    const options = await switcher.locator('option').allInnerTexts()
    assert.deepEqual(options, ['Anna Svensson (du)', 'Elsa Svensson, 6 år'], 'Oskar is not offered')
    await view(p, 'guardian-self')

    // Elsa's portal: her visit, booked by a guardian; no settings in the menu.
    // Choosing alone changes nothing; "Byt" does.
    await switcher.selectOption({ label: 'Elsa Svensson, 6 år' })
    assert.equal(await p.getByText(/^Du bokar för Elsa Svensson/).count(), 0)
    await p.getByRole('button', { name: 'Byt' }).click()
    await p.waitForURL(/\/bookings$/)
    await p.getByText(/^Du bokar för Elsa Svensson\. Sms och e-post om barnets tider går till dig\. Från .* bokar Elsa Svensson själv/).waitFor()
    const visit = p.getByRole('article').filter({ hasText: 'Sköterska Besök 1177' })
    await visit.getByText('Bokad av vårdnadshavare').waitFor()
    assert.equal(await p.getByRole('article').filter({ hasText: 'Diabetessköterska' }).count(), 0, 'Anna’s own bookings are not Elsa’s')
    assert.equal(await p.getByRole('navigation').getByRole('link', { name: 'Aviseringar' }).count(), 0)
    await view(p, 'guardian-child-bookings')

    // Every rule is Elsa's: the physiotherapist is for 18 and older.
    await p.getByRole('navigation').getByRole('link', { name: 'Boka tid', exact: true }).click()
    await p.getByRole('link', { name: /Påarp-Mörarp/ }).first().click()
    await p.getByRole('link', { name: '1. Boka tid online' }).click()
    await p.getByLabel('Jag har tagit del av den fullständiga informationen').check()
    await p.getByRole('button', { name: 'Fortsätt' }).click()
    await p.getByRole('heading', { name: 'Tider som du inte kan boka här' }).waitFor()
    await p.getByRole('listitem').filter({ hasText: 'Sjukgymnast Nybesök 1177' }).getByText('Från 18 år.').waitFor()
    await p.getByRole('radio', { name: /^Provtagning 1177/ }).check()
    await p.getByRole('button', { name: 'Fortsätt' }).click()
    await p.waitForURL(/step=date/)
    await p.getByRole('radio').nth(1).check()
    await p.getByRole('button', { name: 'Fortsätt' }).click()
    await p.getByLabel('Beskriv kort varför du söker vård').fill('Blodprov för Elsa (e2e)')
    await p.getByRole('button', { name: 'Fortsätt' }).click()
    await p.getByRole('heading', { name: 'Bekräfta bokningen' }).waitFor()
    await p.getByText('Bokningen gäller Elsa Svensson.').waitFor()
    assert.match(await p.locator('header .header__child').innerText(), /^Bokar för:\s+Elsa$/, 'the header names the child on every page')
    await view(p, 'guardian-child-confirm')
    await p.getByRole('button', { name: 'Boka tiden' }).click()
    await p.getByRole('heading', { name: 'Tiden är bokad', level: 1 }).waitFor()

    // On Elsa's list. Her nurse's visit is cancelled after a confirm.
    await p.goto('/bookings')
    await p.getByRole('article').filter({ hasText: 'Provtagning 1177' }).getByText('Bokad av vårdnadshavare').waitFor()
    await visit.getByRole('button', { name: 'Avboka' }).click()
    const dialog = p.getByRole('dialog', { name: 'Avboka tid' })
    await dialog.getByLabel('Orsak till avbokningen').fill('Elsa är frisk (e2e)')
    await dialog.getByRole('button', { name: 'Avboka tiden' }).click()
    await p.locator('.result', { hasText: 'Tiden är avbokad' }).waitFor()
    await view(p, 'guardian-child-cancelled')

    // Back to herself: her own bookings, not Elsa's.
    await p.getByRole('combobox', { name: 'Bokar för' }).selectOption({ label: 'Anna Svensson (du)' })
    await p.getByRole('button', { name: 'Byt' }).click()
    await p.getByRole('article').filter({ hasText: 'Diabetessköterska' }).waitFor()
    assert.equal(await p.getByRole('article').filter({ hasText: 'Sköterska Besök 1177' }).count(), 0)
    await p.getByRole('navigation').getByRole('link', { name: 'Aviseringar' }).waitFor()
    await p.close()
  })

  it('the regional admin sees the age limit and the register, and a bad file is refused line by line', async () => {
    const p = await page(desktop)
    await login(p, 'Rolf Holm')
    await p.goto('/admin/catalogue')
    const section = p.getByRole('region', { name: 'Vårdnadshavare (ombud)' })
    assert.equal(await section.getByLabel('Åldersgräns (år)').inputValue(), '13')
    await section.getByText(/^2 vårdnadshavarskap för 2 barn, inlästa /).waitFor()
    await section.getByLabel('Åldersgräns (år)').fill('19')
    await section.getByRole('button', { name: 'Spara åldersgräns' }).click()
    await section.getByText('Ange 1 till 18 år.').waitFor()
    await section
      .getByLabel(/^Läs in ny fil/)
      .setInputFiles({ name: 'register.csv', mimeType: 'text/csv', buffer: Buffer.from('vårdnadshavare;barn;namn\n198503142385;20200607-0004;Elsa\n') })
    await section.getByText('Rad 2: barnets personnummer är felaktigt').waitFor()
    await section.getByText(/^2 vårdnadshavarskap för 2 barn/).waitFor()
    await view(p, 'guardian-admin')
    await p.close()
  })

  it('no request left the machine', () => {
    assert.deepEqual(offsite, [])
  })
})

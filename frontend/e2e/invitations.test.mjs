// Invitations to book (rule 19) in the browser, against the real server:
// Sara invites Erik to book "Nybesök vårdgaranti" (a type residents cannot
// book online themselves) within two weeks, on a desktop; a missing type is
// refused in Swedish beside the field; the result is said in focus and the
// list shows the invitation open. Erik, on his phone, finds it at the top of
// his bookings, confirms the terms, gets the first free day preselected,
// picks a time, gives a reason and books; the result takes focus. Sara's
// list then shows it booked. Axe and a screenshot on every view.
import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { DESKTOP, PHONE, launchBrowser, login, newContext, startServer, unavailable, view } from './harness.mjs'

const TYPE = 'Nybesök vårdgaranti'
const skip = unavailable()

describe('an invitation to book: sent by staff, booked by the resident', { skip: skip ?? false }, () => {
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
  const focused = (p) => p.evaluate(() => document.activeElement?.textContent ?? '')

  it('staff invite a resident to a type not bookable online; a missing type is refused beside the field', async () => {
    const p = await page(desktop)
    await login(p, 'Sara Ek')
    await p.goto('/staff/invitations')
    const form = p.getByRole('form', { name: 'Ny inbjudan' })
    await form.getByLabel('Personnummer').fill('19410730-9173')
    await form.getByRole('button', { name: 'Skicka inbjudan' }).click()
    await form.getByText('Välj vilken typ av tid invånaren ska boka.').waitFor()
    await form.getByLabel('Typ av tid').selectOption({ label: TYPE })
    await form.getByRole('button', { name: 'Skicka inbjudan' }).click()
    await form.getByText(new RegExp(`är inbjuden att boka ${TYPE} mellan`)).waitFor()
    await p.waitForFunction(() => /är inbjuden att boka/.test(document.activeElement?.textContent ?? ''))
    const row = p.getByRole('row').filter({ hasText: '19410730-9173' })
    await row.getByRole('cell', { name: 'Öppen' }).waitFor()
    await view(p, 'desk-invitations')
    await p.close()
  })

  it('the resident finds the invitation, picks a time in its window and books it; the result takes focus', async () => {
    const p = await page(phone)
    await login(p, 'Erik Nilsson')
    await p.goto('/bookings')
    const card = p.getByRole('article', { name: TYPE })
    await card.getByText('Inbjudan').first().waitFor()
    await card.getByRole('link', { name: 'Välj tid' }).click()
    await p.getByRole('heading', { name: `Boka: ${TYPE}` }).waitFor()
    // Booking without the terms, a time or a reason says what is missing.
    await p.getByRole('radio').first().waitFor()
    await p.getByRole('button', { name: 'Boka', exact: true }).click()
    await p.getByText('Du behöver bekräfta att du har tagit del av informationen.').waitFor()
    await view(p, 'invitation-book')
    await p.getByLabel('Jag har tagit del av den fullständiga informationen').check()
    await p.getByRole('radio').first().check()
    await p.getByLabel('Beskriv kort varför du söker vård').fill('Kallad till nybesök (e2e)')
    await p.getByRole('button', { name: 'Boka', exact: true }).click()
    await p.getByText(/^Klart! Du har bokat/).waitFor()
    assert.match(await focused(p), /^Klart! Du har bokat/)
    await view(p, 'invitation-booked')
    await p.goto('/bookings')
    await p.getByRole('article', { name: new RegExp(`, ${TYPE}$`) }).waitFor()
    assert.equal(await p.getByText('Inbjudningar att boka').count(), 0, 'used up')
    await p.close()
  })

  it('staff see the invitation booked', async () => {
    const p = await page(desktop)
    await login(p, 'Sara Ek')
    await p.goto('/staff/invitations')
    const row = p.getByRole('row').filter({ hasText: '19410730-9173' })
    await row.getByText(/^Bokad/).waitFor()
    await p.close()
  })

  it('no request left 127.0.0.1', () => {
    assert.deepEqual(offsite, [])
  })
})

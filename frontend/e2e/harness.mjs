// The browser tests' harness: the real server binary on a fresh SQLite
// database with the demo data and the built web app, Debian's chromium
// driven by playwright-core, axe-core for accessibility, a guard that no
// request leaves 127.0.0.1, and screenshots under test-artifacts/.
import { AxeBuilder } from '@axe-core/playwright'
import assert from 'node:assert/strict'
import { spawn } from 'node:child_process'
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs'
import net from 'node:net'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { chromium } from 'playwright-core'

export const ARTIFACTS = resolve('..', 'test-artifacts')
const CHROMIUM = process.env.CHROMIUM ?? '/usr/bin/chromium'
export const PHONE = { width: 390, height: 844 }
export const DESKTOP = { width: 1440, height: 900 }

/** Whether the browser tests can run here; outside CI a missing piece is a loud skip. */
export function unavailable() {
  const missing = []
  if (!existsSync(CHROMIUM)) missing.push(`chromium at ${CHROMIUM} (apt-get install -y chromium)`)
  if (!process.env.TIDBOK_BIN || !existsSync(process.env.TIDBOK_BIN)) missing.push(`the server binary (TIDBOK_BIN=${process.env.TIDBOK_BIN ?? ''})`)
  if (!existsSync(resolve('dist', 'index.html'))) missing.push('the built web app (npm run build)')
  if (missing.length === 0) return null
  const message = `browser tests need ${missing.join(', ')}`
  if (process.env.CI === 'true' || process.env.CI === '1') throw new Error(message)
  console.error(`\n*** SKIPPED: ${message} ***\n`)
  return message
}

function freePort() {
  return new Promise((ok, fail) => {
    const server = net.createServer()
    server.once('error', fail)
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address()
      server.close(() => ok(port))
    })
  })
}

export async function startServer() {
  const dir = mkdtempSync(join(tmpdir(), 'tidbok-e2e-'))
  const port = await freePort()
  const child = spawn(process.env.TIDBOK_BIN, ['serve'], {
    env: {
      ...process.env,
      DATABASE_URL: `sqlite:${join(dir, 'e2e.db')}`,
      TIDBOK_HOST: '127.0.0.1',
      TIDBOK_PORT: String(port),
      TIDBOK_WORKERS: '2',
      TIDBOK_DEV_LOGIN: 'true',
      TIDBOK_SEED_DEMO: 'true',
      TIDBOK_STATIC_DIR: resolve('dist'),
      TIDBOK_OUTBOX_DIR: join(dir, 'outbox'),
      TIDBOK_BOOKINGS_PER_MINUTE: '1000',
      TIDBOK_LOGIN_PER_MINUTE: '1000',
      TIDBOK_LOG: 'warn',
      // Offers of an earlier time are made in the day only; the tests run at any hour.
      TIDBOK_OFFER_HOURS: '0-24',
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  })
  const url = `http://127.0.0.1:${port}`
  for (let i = 0; i < 300; i++) {
    try {
      if ((await fetch(`${url}/readyz`)).ok) break
    } catch {
      /* not up yet */
    }
    await new Promise((r) => setTimeout(r, 100))
  }
  return {
    url,
    dir,
    stop() {
      child.kill('SIGKILL')
      rmSync(dir, { recursive: true, force: true })
    },
  }
}

export async function launchBrowser() {
  mkdirSync(ARTIFACTS, { recursive: true })
  return chromium.launch({
    executablePath: CHROMIUM,
    // A Swedish browser as far as the launch flags go (headless Chromium still draws
    // native date and time fields in its own locale's format).
    args: ['--lang=sv-SE', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  })
}

/** Every Content-Security-Policy violation any page of any context reported. */
export const cspViolations = []

/** A browser context of one viewport that records every request leaving
 * 127.0.0.1 and every Content-Security-Policy violation of its pages. */
export async function newContext(browser, server, viewport, offsite) {
  const context = await browser.newContext({ viewport, locale: 'sv-SE', timezoneId: 'Europe/Stockholm', baseURL: server.url })
  context.on('request', (request) => {
    const url = request.url()
    if (!url.startsWith('http://127.0.0.1:') && !url.startsWith('data:') && !url.startsWith('blob:')) offsite.push(url)
  })
  context.on('page', (page) => {
    page.on('console', (message) => {
      if (message.text().includes('Content Security Policy')) cspViolations.push(`${page.url()}: ${message.text()}`)
    })
  })
  return context
}

/** No serious or critical WCAG 2.1 A/AA violation on the page as it is now. */
export async function assertAccessible(page, view) {
  const results = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze()
  const bad = results.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.map((n) => n.target.join(' ')).slice(0, 3).join(' | ')}`)
  assert.deepEqual(bad, [], `accessibility violations on ${view}`)
}

/** Screenshot and accessibility check of a main view; the app must have run
 * under its Content-Security-Policy without a single violation so far. */
export async function view(page, name) {
  await page.waitForLoadState('networkidle')
  await page.screenshot({ path: join(ARTIFACTS, `${name}.png`), fullPage: true })
  await assertAccessible(page, name)
  assert.deepEqual(cspViolations, [], `Content-Security-Policy violations up to ${name}`)
}

export async function login(page, name) {
  await page.goto('/login')
  await page.getByRole('button', { name: `Logga in som ${name}` }).click()
  await page.waitForURL((url) => !url.pathname.startsWith('/login'))
}

/** Presses Tab until `locator` has focus (keyboard only, no mouse). */
export async function tabTo(page, locator, limit = 120) {
  for (let i = 0; i < limit; i++) {
    if (await locator.evaluate((el) => el === document.activeElement).catch(() => false)) return
    await page.keyboard.press('Tab')
  }
  throw new Error(`could not reach ${locator} with Tab`)
}

// The bundle check, run by `npm run build` after `vite build`: prints every
// emitted JS and CSS file with its raw and gzip size, adds up what a
// resident's phone downloads on the first visit, and fails (exit 1) above a
// budget or when staff or admin code could reach a resident.
//
// Sizes are gzip at level 9 (node:zlib), in bytes; KB = 1000 bytes. Level 9
// is what `gzip -9` and a server's precompressed assets give; the numbers are
// the same on every run of the same build. Brotli (quality 11) is printed
// too, for a server that sends it; the budgets are on gzip.
//
// The resident's first load is index.html, its entry chunk and everything
// the entry imports statically (with their CSS), plus the resident area's
// lazy chunk (src/app/areas/resident.ts) and its static imports. English
// texts (src/shared/i18n/en.ts) are a lazy chunk fetched only when chosen.
//
// Measured the same way (vite 8.3, react-router 7.18, TanStack Query 5):
//   one file, React 19 (issue 9's start): 117.4 KB gzipped JS + 2.1 KB CSS
//     + 0.3 KB index.html = 119.8 KB first load, staff and admin code and
//     the English texts included;
//   split by area, React 19: 117.5 KB first load, of it a 105.2 KB entry
//     chunk (336 KB raw). Per package, each gzipped alone: react-dom 63.6,
//     react 3.0, scheduler 1.5, react-router 13.9, TanStack Query 9.9,
//     openapi-fetch 2.5, our shared code and Swedish texts 9.8, app shell
//     2.0. React was two thirds of it, and no split could move it.
//   split by area, Preact 10.29 with preact/compat in React's place
//     (vite.config.ts): 57.8 KB first load, of it a 45.7 KB entry chunk
//     (135 KB raw); Preact is 8.3 KB of it where React was 68.1 KB.
//     Brotli: 51.8 KB first load. With rebooking on the booking calendar
//     (issue 9): 59.1 KB first load, 45.7 KB entry.
// Budgets: about 20 % above that, room for the resident features still to
// come but not for React to return (which the check below forbids anyway)
// or for staff code to leak in. Raise them only with a measurement here.
const KB = 1000
export const BUDGETS = {
  /** Everything a resident downloads before the first page shows. */
  residentFirstLoad: 70 * KB,
  /** The entry chunk (framework, shell, Swedish texts). */
  entry: 55 * KB,
  /** Any lazy chunk: one area's pages, a shared piece, English texts. */
  lazyChunk: 12 * KB,
}

// Code the resident's chunks must never contain (a module path under one of these).
const FORBIDDEN = ['src/features/staff/', 'src/features/admin/']
// Packages no chunk may contain: React itself. preact/compat stands in for it
// (vite.config.ts); a new import path that slips past the aliases would
// bring all of React DOM back.
const FORBIDDEN_PACKAGES = ['node_modules/react/', 'node_modules/react-dom/', 'node_modules/scheduler/']
const RESIDENT_AREA = 'src/app/areas/resident.ts'

import { readFileSync } from 'node:fs'
import { resolve } from 'node:path'
import { brotliCompressSync, constants, gzipSync } from 'node:zlib'

const dist = resolve(process.argv[2] ?? 'dist')
const read = (file) => readFileSync(resolve(dist, file))
const manifest = JSON.parse(read('.vite/manifest.json'))
const modules = JSON.parse(read('.vite/modules.json'))
const failures = []

const sizes = new Map()
function size(file) {
  if (!sizes.has(file)) {
    const bytes = read(file)
    const brotli = brotliCompressSync(bytes, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length
    sizes.set(file, { raw: bytes.length, gzip: gzipSync(bytes, { level: 9 }).length, brotli })
  }
  return sizes.get(file)
}
const kb = (bytes) => `${(bytes / KB).toFixed(1).padStart(6)} KB`

// Every emitted JS and CSS file, largest first.
const files = [...new Set(Object.values(manifest).flatMap((c) => [c.file, ...(c.css ?? [])]))].sort()
const rows = files.map((file) => ({ file, ...size(file) })).sort((a, b) => b.gzip - a.gzip || a.file.localeCompare(b.file))
console.log('chunk'.padEnd(44), 'raw'.padStart(9), 'gzip'.padStart(9), 'brotli'.padStart(9))
for (const r of rows) console.log(r.file.padEnd(44), kb(r.raw), kb(r.gzip), kb(r.brotli))

// The manifest keys reachable from `key` by static imports.
function staticClosure(keys) {
  const seen = new Set()
  const walk = (key) => {
    if (seen.has(key)) return
    if (!manifest[key]) throw new Error(`manifest has no ${key}`)
    seen.add(key)
    for (const next of manifest[key].imports ?? []) walk(next)
  }
  keys.forEach(walk)
  return seen
}

const entryKey = Object.keys(manifest).find((k) => manifest[k].isEntry)
if (!entryKey) failures.push('the manifest has no entry')
if (!manifest[RESIDENT_AREA]?.isDynamicEntry) {
  failures.push(`${RESIDENT_AREA} is not a lazy chunk of its own: the resident pages must be loaded with import() (src/app/App.tsx)`)
}

if (entryKey && manifest[RESIDENT_AREA]) {
  const keys = staticClosure([entryKey, RESIDENT_AREA])
  const chunkFiles = [...keys].map((k) => manifest[k].file)
  const cssFiles = [...new Set([...keys].flatMap((k) => manifest[k].css ?? []))]
  const files = ['index.html', ...chunkFiles, ...cssFiles]
  const firstLoad = files.reduce((sum, f) => sum + size(f).gzip, 0)
  const firstLoadBrotli = files.reduce((sum, f) => sum + size(f).brotli, 0)
  console.log(
    `\nresident first load (index.html, ${chunkFiles.length} JS, ${cssFiles.length} CSS): ${kb(firstLoad)} gzip (budget ${kb(BUDGETS.residentFirstLoad)}), ${kb(firstLoadBrotli)} brotli`,
  )
  for (const f of [...chunkFiles, ...cssFiles].sort()) console.log(`  ${f}`)
  if (firstLoad > BUDGETS.residentFirstLoad) failures.push(`the resident's first load is ${kb(firstLoad)}, above its budget of ${kb(BUDGETS.residentFirstLoad)}`)

  // No module of the staff or admin features in anything the resident loads.
  for (const file of chunkFiles) {
    const inside = modules[file]
    if (!inside) {
      failures.push(`modules.json has no ${file}`)
      continue
    }
    for (const id of inside) {
      if (FORBIDDEN.some((prefix) => id.startsWith(prefix))) failures.push(`${file}, loaded by residents, contains ${id}`)
    }
  }
  // No chunk at all holds React (staff and admin included), and Preact is there.
  for (const [file, inside] of Object.entries(modules)) {
    for (const id of inside) {
      if (FORBIDDEN_PACKAGES.some((prefix) => id.startsWith(prefix))) failures.push(`${file} contains ${id}: an import of React that the preact/compat aliases of vite.config.ts do not catch`)
    }
  }
  if (!Object.values(modules).some((ids) => ids.some((id) => id.startsWith('node_modules/preact/')))) {
    failures.push('no chunk holds node_modules/preact/: module paths changed, update FORBIDDEN_PACKAGES in this script')
  }
  // And the check is not vacuous: staff and admin code exist, in other chunks.
  for (const prefix of FORBIDDEN) {
    if (!Object.values(modules).some((ids) => ids.some((id) => id.startsWith(prefix)))) {
      failures.push(`no chunk holds ${prefix}: module paths changed, update FORBIDDEN in this script`)
    }
  }

  const entry = size(manifest[entryKey].file).gzip
  if (entry > BUDGETS.entry) failures.push(`the entry chunk is ${kb(entry)}, above its budget of ${kb(BUDGETS.entry)}`)
  for (const key of Object.keys(manifest)) {
    if (key === entryKey) continue
    const { gzip } = size(manifest[key].file)
    if (gzip > BUDGETS.lazyChunk) failures.push(`${manifest[key].file} is ${kb(gzip)}, above the budget of a lazy chunk, ${kb(BUDGETS.lazyChunk)}`)
  }
}

if (failures.length) {
  console.error(`\nbundle check FAILED:\n${failures.map((f) => `  - ${f}`).join('\n')}`)
  process.exit(1)
}
console.log('\nbundle check passed')

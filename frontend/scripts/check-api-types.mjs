// Fails when src/shared/api/schema.d.ts is not what openapi-typescript makes
// of ../openapi/openapi.json today. Regenerate with `npm run api`.
import { execFileSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

const dir = mkdtempSync(join(tmpdir(), 'tidbok-api-'))
const fresh = join(dir, 'schema.d.ts')
try {
  execFileSync('node_modules/.bin/openapi-typescript', ['../openapi/openapi.json', '-o', fresh], { stdio: 'ignore' })
  const committed = readFileSync('src/shared/api/schema.d.ts', 'utf8')
  if (committed !== readFileSync(fresh, 'utf8')) {
    console.error('src/shared/api/schema.d.ts is stale: run `npm run api` in frontend/ (or `make openapi`) and commit it.')
    process.exit(1)
  }
  console.log('API types match openapi/openapi.json')
} finally {
  rmSync(dir, { recursive: true, force: true })
}

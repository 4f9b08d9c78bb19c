import react from '@vitejs/plugin-react'
import { relative } from 'node:path'
import type { Plugin } from 'vite'
import { defineConfig } from 'vitest/config'

/** Writes dist/.vite/modules.json: the source modules of every emitted chunk,
 * for scripts/check-bundle.mjs (the manifest names only a chunk's entry).
 * Under a dot folder, so the server never serves it. */
function chunkModules(): Plugin {
  return {
    name: 'tidbok-chunk-modules',
    apply: 'build',
    generateBundle(_, bundle) {
      const modules: Record<string, string[]> = {}
      for (const chunk of Object.values(bundle)) {
        if (chunk.type !== 'chunk') continue
        modules[chunk.fileName] = Object.keys(chunk.modules)
          .map((id) => (id.startsWith('\0') ? id.slice(1) : relative(process.cwd(), id).split('\\').join('/')))
          .sort()
      }
      const sorted = Object.fromEntries(Object.entries(modules).sort(([a], [b]) => a.localeCompare(b)))
      this.emitFile({ type: 'asset', fileName: '.vite/modules.json', source: `${JSON.stringify(sorted, null, 1)}\n` })
    },
  }
}

// `make dev` runs this with the API on :8080 behind the proxy; `make run`
// serves the built app from the API server itself.
export default defineConfig({
  plugins: [react(), chunkModules()],
  server: {
    host: '127.0.0.1',
    proxy: {
      '/api': 'http://127.0.0.1:8080',
      '/api-docs': 'http://127.0.0.1:8080',
      '/docs': 'http://127.0.0.1:8080',
    },
  },
  // The manifest gives scripts/check-bundle.mjs the chunk graph.
  build: { outDir: 'dist', sourcemap: false, manifest: true, chunkSizeWarningLimit: 1000 },
  test: {
    environment: 'jsdom',
    include: ['src/**/*.test.{ts,tsx}'],
    setupFiles: ['src/test-setup.ts'],
  },
})

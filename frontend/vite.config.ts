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

// Preact in place of React: preact/compat answers every import of react,
// react-dom and the JSX runtime, in our code and in react-router, TanStack
// Query and Testing Library alike. It saves about 55 KB gzipped of the
// resident's first load (scripts/check-bundle.mjs has the numbers). JSX is
// compiled by Vite itself (tsconfig's "react-jsx" → react/jsx-runtime, aliased
// below); @vitejs/plugin-react is not used because its Fast Refresh needs
// React's renderer: `make dev` reloads the page on an edit instead. Types
// still come from @types/react. Code must stay portable to Preact 10: refs
// reach function components through forwardRef (not as a plain prop), and no
// React-19-only API (`use`, form actions, useActionState, useOptimistic).
const preactCompat = [
  { find: /^react$/, replacement: 'preact/compat' },
  { find: /^react-dom$/, replacement: 'preact/compat' },
  { find: /^react-dom\/client$/, replacement: 'preact/compat/client' },
  { find: /^react-dom\/test-utils$/, replacement: 'preact/test-utils' },
  { find: /^react\/jsx-runtime$/, replacement: 'preact/compat/jsx-runtime' },
  { find: /^react\/jsx-dev-runtime$/, replacement: 'preact/compat/jsx-dev-runtime' },
]

// `make dev` runs this with the API on :8080 behind the proxy; `make run`
// serves the built app from the API server itself.
export default defineConfig(({ mode }) => ({
  plugins: [chunkModules()],
  resolve: {
    alias: preactCompat,
    // Tests resolve packages to their ES modules, as the build does: Vitest's
    // default picks the CommonJS builds, whose require() of react no alias
    // reaches (Testing Library and react-router would load real React).
    ...(mode === 'test' ? { conditions: ['module-sync', 'module', 'development|production'], mainFields: ['module'] } : {}),
  },
  server: {
    host: '127.0.0.1',
    proxy: {
      '/api': 'http://127.0.0.1:8080',
      '/api-docs': 'http://127.0.0.1:8080',
      '/docs': 'http://127.0.0.1:8080',
    },
  },
  // The manifest gives scripts/check-bundle.mjs the chunk graph.
  build: {
    outDir: 'dist',
    sourcemap: false,
    manifest: true,
    chunkSizeWarningLimit: 1000,
    rolldownOptions: {
      onwarn(warning, warn) {
        // TanStack Query and react-router mark modules "use client" for React
        // Server Components: meaningless in this single-page app.
        if (warning.code === 'MODULE_LEVEL_DIRECTIVE' && warning.message.includes('"use client"')) return
        // react-router looks up React 19's `use` (for server components only)
        // and `useOptimistic` (RouterProvider; it falls back without it) by
        // name; preact/compat has neither, which is expected.
        if (warning.code === 'IMPORT_IS_UNDEFINED' && /Import `(use|useOptimistic)` /.test(warning.message) && warning.message.includes('preact/compat')) return
        warn(warning)
      },
    },
  },
  test: {
    environment: 'jsdom',
    include: ['src/**/*.test.{ts,tsx}'],
    setupFiles: ['src/test-setup.ts'],
    // Vitest leaves node_modules to Node, which knows no aliases: these are
    // run through Vite so that they, too, import Preact and not React, and
    // Preact itself, so that there is one copy of it.
    server: { deps: { inline: ['@testing-library/react', '@tanstack/react-query', 'react-router', 'react-router-dom', 'preact'] } },
  },
}))

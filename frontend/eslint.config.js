// Lint and the import direction of bulletproof-react: shared → features → app.
// shared/ may import nothing of features/ or app/; a feature may import
// shared/ but neither app/ nor another feature.
import js from '@eslint/js'
import jsxA11y from 'eslint-plugin-jsx-a11y'
import reactHooks from 'eslint-plugin-react-hooks'
import globals from 'globals'
import tseslint from 'typescript-eslint'

const features = ['auth', 'resident', 'staff', 'admin']

const noImportsOf = (patterns, message) => ({
  'no-restricted-imports': ['error', { patterns: [{ group: patterns, message }] }],
})

export default tseslint.config(
  { ignores: ['dist', 'node_modules', 'src/shared/api/schema.d.ts', 'test-artifacts'] },
  {
    files: ['**/*.{ts,tsx}'],
    extends: [js.configs.recommended, ...tseslint.configs.recommended, jsxA11y.flatConfigs.recommended],
    languageOptions: { ecmaVersion: 2022, globals: { ...globals.browser, ...globals.node } },
    plugins: { 'react-hooks': reactHooks },
    rules: {
      ...reactHooks.configs.recommended.rules,
      'react-hooks/set-state-in-effect': 'off',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
    },
  },
  {
    files: ['src/shared/**'],
    rules: noImportsOf(['**/features/**', '**/app/**'], 'shared/ must not import features/ or app/.'),
  },
  ...features.map((feature) => ({
    files: [`src/features/${feature}/**`],
    rules: noImportsOf(
      ['**/app/**', ...features.filter((f) => f !== feature).map((f) => `**/features/${f}/**`)],
      `features/${feature} may import shared/ only, not app/ or another feature.`,
    ),
  })),
  { files: ['e2e/**/*.mjs', 'scripts/**/*.mjs'], languageOptions: { globals: globals.node } },
)

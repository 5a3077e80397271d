// eslint (flat config) with typescript-eslint, run by `npm test` (scripts/lint.sh).
// The baseline is the code's own style: the recommended rules; names starting
// with _ are deliberately unused; and, for the product code (not the tests,
// whose node:test calls are promises on purpose), promises must be awaited
// or handed on, which needs type information.
import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

const PRODUCT = ['shared/**/*.ts', 'cli/**/*.ts', 'debug-adapter/**/*.ts', 'extension/**/*.ts', 'webview/**/*.ts', 'scripts/**/*.ts'];

export default tseslint.config(
  { ignores: ['node_modules/', 'out/', 'dist/', '.cache/', 'test-artifacts/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  { files: ['**/*.mjs'], languageOptions: { globals: globals.node } },
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
    },
  },
  {
    files: PRODUCT,
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
    },
  },
);

// Flat config: typescript-eslint's recommended rules everywhere; Node globals for the relay, tools
// and tests, browser globals for browser code, mocha globals for tests. Built output is never linted.
import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['**/dist/**', '**/node_modules/**', '**/.data/**', 'coverage/**', 'docs/img/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
    },
  },
  {
    files: [
      'packages/sdk/src/**',
      'packages/cdn/src/**',
      'packages/sandbox/browser/**',
      'test/browser/**',
      'examples/**/public/**',
    ],
    languageOptions: { globals: { ...globals.browser } },
  },
  {
    files: ['**/*.test.ts', '**/*.test.js', 'test/**'],
    languageOptions: { globals: { ...globals.mocha } },
  },
);

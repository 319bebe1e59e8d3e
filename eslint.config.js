import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

const nodeBuiltins = ['node:*', 'fs', 'path', 'os', 'crypto', 'child_process', 'http', 'https', 'net', 'stream', 'worker_threads'];

/** The layering in ARCHITECTURE.md, enforced: what each folder may import. */
const forbid = (patterns) => ({
  'no-restricted-imports': ['error', { patterns: patterns.map(({ group, message }) => ({ group, message })) }],
});

export default tseslint.config(
  { ignores: ['dist/**', 'release/**', 'node_modules/**', 'test-results/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: { allowDefaultProject: ['*.js', 'scripts/*.mjs', 'renderer/vite.config.ts'] }, tsconfigRootDir: import.meta.dirname },
      globals: { ...globals.node },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/switch-exhaustiveness-check': 'error',
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
      'no-console': 'error',
    },
  },
  {
    files: ['renderer/**/*.{ts,tsx}'],
    ignores: ['renderer/vite.config.ts'],
    languageOptions: { globals: { ...globals.browser } },
    rules: forbid([
      { group: ['**/main/**', '../../main', 'electron'], message: 'renderer/ talks to main only through the typed API (shared/api).' },
      { group: nodeBuiltins, message: 'renderer/ runs in the browser sandbox: no Node modules.' },
    ]),
  },
  {
    files: ['shared/**/*.ts'],
    rules: forbid([
      { group: ['**/main/**', '**/renderer/**', 'electron', 'react', 'react-dom'], message: 'shared/ imports nothing of the app.' },
      { group: nodeBuiltins, message: 'shared/ runs in both main and renderer: no Node modules.' },
    ]),
  },
  {
    files: ['main/**/*.ts'],
    ignores: ['main/app/**', 'main/preload.ts'],
    rules: forbid([
      { group: ['electron', 'electron/*'], message: 'Only main/app/ and main/preload.ts import electron; services take what they need as parameters.' },
      { group: ['**/renderer/**'], message: 'main/ never imports the renderer.' },
    ]),
  },
  {
    files: ['test/**/*.ts', 'bench/**/*.ts', 'scripts/**/*.mjs'],
    rules: {
      'no-console': 'off',
      '@typescript-eslint/no-non-null-assertion': 'off',
      '@typescript-eslint/no-floating-promises': [
        'error',
        { allowForKnownSafeCalls: [{ from: 'package', package: 'vitest', name: ['test', 'it', 'describe', 'suite'] }] },
      ],
    },
  },
  { files: ['**/*.js', '**/*.mjs', 'renderer/vite.config.ts'], ...tseslint.configs.disableTypeChecked },
);

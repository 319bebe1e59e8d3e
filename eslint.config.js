import js from '@eslint/js';
import stylistic from '@stylistic/eslint-plugin';
import globals from 'globals';
import tseslint from 'typescript-eslint';

const nodeBuiltins = ['node:*', 'fs', 'path', 'os', 'crypto', 'child_process', 'http', 'https', 'net', 'stream', 'worker_threads'];

/** The layering in docs/architecture.md, enforced: what each folder may import. */
const forbid = (patterns) => ({
  'no-restricted-imports': ['error', { patterns }],
});

// Layers inside main/ (docs/architecture.md, "Layers"): foundation ← services ← api ← compose ← app / cli.
const FOUNDATION = ['kernel', 'log', 'store', 'fhir'];
const SERVICES = [
  'audit',
  'policy',
  'capture',
  'asr',
  'coding',
  'drafting',
  'notes',
  'transcripts',
  'visits',
  'writeback',
  'ehr',
  'auth',
  'diagnostics',
  'openai',
  'signing',
  'evidence',
  'retention',
];
/** A relative import that climbs into one of these main/ folders (or compose.ts). */
const into = (folders, compose = true) => `^(?:\\.\\./)+(?:(?:${folders.join('|')})/${compose ? '|compose\\.js$' : ''})`;
const mainBase = [
  {
    group: ['electron', 'electron/*'],
    message: 'Only main/app/ and main/preload.ts import electron; services take what they need as parameters.',
  },
  { group: ['**/renderer/**'], message: 'main/ never imports the renderer.' },
];
const layer = (files, regex, message, extra = []) => ({ files, rules: forbid([...mainBase, ...extra, { regex, message }]) });

export default tseslint.config(
  { ignores: ['dist/**', 'release/**', 'node_modules/**', 'test-results/**'] },
  js.configs.recommended,
  { plugins: { '@stylistic': stylistic } },
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: {
        projectService: { allowDefaultProject: ['*.js', 'scripts/*.mjs', 'renderer/vite.config.ts'] },
        tsconfigRootDir: import.meta.dirname,
      },
      globals: { ...globals.node },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/switch-exhaustiveness-check': 'error',
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
      'no-console': 'error',
      // Prettier lays lines out at 140 columns; only a string, template or regular-expression literal may run past
      // (docs/contributing.md, "Formatting").
      '@stylistic/max-len': [
        'error',
        { code: 140, ignoreStrings: true, ignoreTemplateLiterals: true, ignoreRegExpLiterals: true, ignoreUrls: true },
      ],
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
    rules: forbid(mainBase),
  },
  {
    files: ['main/kernel/**/*.ts'],
    rules: forbid([
      ...mainBase,
      { regex: '^\\.\\./(?!\\.\\./shared/)', message: 'main/kernel/ is the base layer: it imports only shared/.' },
    ]),
  },
  layer(
    FOUNDATION.filter((f) => f !== 'kernel').map((f) => `main/${f}/**/*.ts`),
    into(['api', 'app', 'cli', 'sandbox', ...SERVICES]),
    'main/log, store and fhir are foundation layers: they import only kernel, log, store, fhir and shared/.',
  ),
  layer(
    SERVICES.map((f) => `main/${f}/**/*.ts`),
    into(['api', 'app', 'cli', 'sandbox']),
    'Services never import the transports (api/, app/, cli/), the sandbox EHR or the composition root: take what you need as a parameter (compose.ts wires it).',
  ),
  layer(
    ['main/sandbox/**/*.ts'],
    into(['api', 'app', 'cli']),
    'The sandbox EHR stands apart from the app: no api/, app/, cli/ or compose.ts.',
  ),
  layer(
    ['main/api/**/*.ts'],
    into(['app', 'cli', 'sandbox']),
    'main/api/ is the transport layer: it serves services and never imports app/, cli/, the sandbox or compose.ts.',
  ),
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

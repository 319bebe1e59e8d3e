import { defineConfig } from 'vitest/config';

// One `vitest run` runs three projects, one after the other (sequence.groupOrder):
//   unit         test/unit/**         two files at a time (the machine has 2 cores)
//   integration  test/integration/**  one file at a time: real servers, CLI processes, child workers
//   e2e          test/e2e/**          one file at a time: each drives Chromium through playwright-core
// `npm test` runs all three; `npm run test:unit` unit and integration; `npm run test:e2e` e2e.
//
// Every file runs in its own child process (pool 'forks', isolated): better-sqlite3 and
// onnxruntime-node are native modules, and a file that leaves a server or a browser open cannot keep
// the next one waiting. Tests are generous in time, as under node's test runner before
// (--test-timeout=900000): a test on a busy 2-core machine may be slow but it is not cut short.
const TIMEOUT_MS = 900_000;

export default defineConfig({
  test: {
    pool: 'forks',
    isolate: true,
    environment: 'node',
    testTimeout: TIMEOUT_MS,
    hookTimeout: TIMEOUT_MS,
    // Ending the run does not wait long for a file that left a handle open.
    teardownTimeout: 10_000,
    // node:test ran `after`/`afterEach` hooks in the order they were declared; keep that order (Vitest's
    // default runs them in reverse).
    sequence: { hooks: 'list' },
    reporters: ['verbose'],
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          include: ['test/unit/**/*.{test,spec}.ts'],
          maxWorkers: 2,
          sequence: { groupOrder: 0 },
        },
      },
      {
        extends: true,
        test: {
          name: 'integration',
          include: ['test/integration/**/*.{test,spec}.ts'],
          fileParallelism: false,
          sequence: { groupOrder: 1 },
        },
      },
      {
        extends: true,
        test: {
          name: 'e2e',
          include: ['test/e2e/**/*.{test,spec}.ts'],
          fileParallelism: false,
          sequence: { groupOrder: 2 },
        },
      },
    ],
  },
});

#!/usr/bin/env node
// Runs node's test runner (through tsx) over test/<suite>/**/*.test.ts and *.spec.ts. A file whose
// tests finished but that leaves a handle open (a browser, a server) is ended rather than hanging CI.
// Usage: node scripts/run-tests.mjs [unit] [integration] [e2e]   (default: all three)
import { spawnSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const suites = process.argv.slice(2).length ? process.argv.slice(2) : ['unit', 'integration', 'e2e'];

function collect(dir) {
  let files = [];
  let entries = [];
  try {
    entries = readdirSync(dir);
  } catch {
    return files;
  }
  for (const name of entries.sort()) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) files = files.concat(collect(path));
    else if (/\.(test|spec)\.ts$/.test(name)) files.push(relative(root, path));
  }
  return files;
}

const files = suites.flatMap((suite) => collect(join(root, 'test', suite)));
if (files.length === 0) {
  console.error(`No test files found in: ${suites.join(', ')}`);
  process.exit(1);
}
const result = spawnSync(process.execPath, ['--import', 'tsx', '--test', '--test-reporter=spec', '--test-concurrency=1', '--test-force-exit', '--test-timeout=900000', ...files], {
  cwd: root,
  stdio: 'inherit',
});
process.exit(result.status ?? 1);

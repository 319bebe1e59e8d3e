#!/usr/bin/env node
// `npm start` and `npm run web` on a fresh clone: builds (npm run build) when dist/ is missing or
// older than any source file, so a first run is `npm install` then one command; otherwise does nothing.
// Usage: node scripts/build-if-stale.mjs
import { execFileSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const outputs = ['dist/main/cli/index.js', 'dist/main/app/main.js', 'dist/preload.cjs', 'dist/renderer/index.html'];
const sources = ['main', 'shared', 'renderer', 'package.json', 'tsconfig.base.json', 'tsconfig.build.json'];

const mtime = (path) => {
  try {
    return statSync(join(root, path)).mtimeMs;
  } catch {
    return undefined;
  }
};
function newest(path) {
  const stat = statSync(join(root, path));
  if (!stat.isDirectory()) return stat.mtimeMs;
  let latest = stat.mtimeMs;
  for (const entry of readdirSync(join(root, path))) {
    if (entry === 'node_modules' || entry === 'dist') continue;
    latest = Math.max(latest, newest(join(path, entry)));
  }
  return latest;
}

const built = outputs.map(mtime);
const oldest = built.includes(undefined) ? -Infinity : Math.min(...built);
const changed = Math.max(...sources.map(newest));
if (changed > oldest) {
  console.error(oldest === -Infinity ? 'Building the app (first run)…' : 'Sources changed since the last build: building…');
  execFileSync(process.platform === 'win32' ? 'npm.cmd' : 'npm', ['run', 'build'], {
    cwd: root,
    stdio: 'inherit',
    shell: process.platform === 'win32',
  });
}

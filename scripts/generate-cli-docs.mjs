#!/usr/bin/env node
// Writes the command reference in docs/cli.md from the real `scribe` program (main/cli/program.ts).
// `--check` writes nothing and exits 1 when docs/cli.md is stale.
// Usage: node --import tsx scripts/generate-cli-docs.mjs [--check]
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { withCliReference } from '../main/cli/cli-reference.ts';

const file = fileURLToPath(new URL('../docs/cli.md', import.meta.url));
const current = readFileSync(file, 'utf8');
const wanted = withCliReference(current);
if (current === wanted) process.exit(0);
if (process.argv.includes('--check')) {
  console.error(`${file} is out of date: run node --import tsx scripts/generate-cli-docs.mjs`);
  process.exit(1);
}
writeFileSync(file, wanted);
console.log(`wrote ${file}`);

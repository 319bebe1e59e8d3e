#!/usr/bin/env node
// Writes schemas/policy.schema.json and the policy reference table in docs/deploying.md and
// docs/configuration.md from the zod schema in shared/domain/policy.ts. `--check` writes nothing and
// exits 1 when any of them is stale.
// Usage: node --import tsx scripts/generate-policy-docs.mjs [--check]
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { policyJsonSchemaText, renderPolicyReference, replaceBetweenMarkers } from '../main/policy/policy-reference.ts';

const root = fileURLToPath(new URL('..', import.meta.url));
const check = process.argv.includes('--check');
const targets = [
  { file: `${root}schemas/policy.schema.json`, make: () => policyJsonSchemaText() },
  {
    file: `${root}docs/deploying.md`,
    make: () => replaceBetweenMarkers(readFileSync(`${root}docs/deploying.md`, 'utf8'), renderPolicyReference()),
  },
  {
    file: `${root}docs/configuration.md`,
    make: () => replaceBetweenMarkers(readFileSync(`${root}docs/configuration.md`, 'utf8'), renderPolicyReference()),
  },
];

let stale = 0;
for (const { file, make } of targets) {
  const wanted = make();
  let current = null;
  try {
    current = readFileSync(file, 'utf8');
  } catch {
    // Missing: written below (or reported as stale with --check).
  }
  if (current === wanted) continue;
  stale += 1;
  if (check) console.error(`${file} is out of date: run node --import tsx scripts/generate-policy-docs.mjs`);
  else {
    writeFileSync(file, wanted);
    console.log(`wrote ${file}`);
  }
}
process.exit(check && stale > 0 ? 1 : 0);

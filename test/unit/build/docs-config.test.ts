import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, test } from 'vitest';
import { renderPolicyReference, replaceBetweenMarkers } from '../../../main/policy/policy-reference.js';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const configuration = readFileSync(join(repoRoot, 'docs', 'configuration.md'), 'utf8');

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return /\.(ts|mjs)$/.test(entry.name) ? [path] : [];
  });
}

/** The variables a file reads: `process.env.X`, `env['X']`, `env.X`, and names like 'SCRIBE_X' passed to an env reader. */
function environmentVariablesIn(text: string): string[] {
  const patterns = [
    /\benv\.([A-Z][A-Z0-9_]+)\b/g,
    /\benv\[['"]([A-Z][A-Z0-9_]+)['"]\]/g,
    /['"]((?:SCRIBE|OPENAI|AZURE_OPENAI|BENCH|HF)_[A-Z0-9_]+)['"]/g,
  ];
  return [...new Set(patterns.flatMap((pattern) => [...text.matchAll(pattern)].map((m) => m[1]!)))];
}

describe('docs/configuration.md', () => {
  test('its settings table is what the zod schema generates', () => {
    assert.equal(
      configuration,
      replaceBetweenMarkers(configuration, renderPolicyReference()),
      'run `node --import tsx scripts/generate-policy-docs.mjs`',
    );
  });

  test('names every environment variable main/, scripts/ and bench/ read', () => {
    const read = new Map<string, string>();
    for (const file of ['main', 'scripts', 'bench'].flatMap((dir) => sourceFiles(join(repoRoot, dir)))) {
      for (const name of environmentVariablesIn(readFileSync(file, 'utf8'))) read.set(name, relative(repoRoot, file));
    }
    for (const known of ['SCRIBE_DATA_DIR', 'SCRIBE_POLICY_FILE', 'OPENAI_API_KEY', 'AZURE_OPENAI_ENDPOINT', 'HF_ENDPOINT', 'BENCH_ROWS'])
      assert.ok(read.has(known), known);
    const missing = [...read].filter(([name]) => !configuration.includes(`\`${name}\``)).map(([name, file]) => `${name} (${file})`);
    assert.deepEqual(missing, [], 'add these to docs/configuration.md');
  });

  test('the scan finds each way a variable is read', () => {
    const text = "process.env.HF_ENDPOINT; env['SCRIBE_X']; get('SCRIBE_Y'); { deploymentVar: 'AZURE_OPENAI_Z' }; env.localModelPath";
    assert.deepEqual(environmentVariablesIn(text).sort(), ['AZURE_OPENAI_Z', 'HF_ENDPOINT', 'SCRIBE_X', 'SCRIBE_Y']);
  });
});

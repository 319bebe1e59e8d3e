import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { test } from 'vitest';
import { fileURLToPath } from 'node:url';
import { settingKeys } from '../../../shared/domain/policy.js';
import {
  REFERENCE_BEGIN,
  REFERENCE_END,
  policyJsonSchemaText,
  renderPolicyReference,
  replaceBetweenMarkers,
} from '../../../main/policy/policy-reference.js';
import { validatePolicyText } from '../../../main/policy/policy-file.js';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const regenerate = 'run `node --import tsx scripts/generate-policy-docs.mjs` and commit the result';

test('schemas/policy.schema.json is what the zod schema generates', () => {
  assert.equal(readFileSync(join(repoRoot, 'schemas', 'policy.schema.json'), 'utf8'), policyJsonSchemaText(), regenerate);
});

test("docs/deploying.md's policy reference is what the zod schema generates, one row per setting", () => {
  const doc = readFileSync(join(repoRoot, 'docs', 'deploying.md'), 'utf8');
  assert.equal(doc, replaceBetweenMarkers(doc, renderPolicyReference()), regenerate);
  const table = doc.slice(doc.indexOf(REFERENCE_BEGIN), doc.indexOf(REFERENCE_END));
  for (const key of settingKeys) assert.ok(table.includes(`| \`${key}\` |`), key);
});

test('replaceBetweenMarkers refuses a document without its markers', () => {
  assert.throws(() => replaceBetweenMarkers('# no markers here', 'x'), /markers are missing/);
  assert.equal(
    replaceBetweenMarkers(`a\n${REFERENCE_BEGIN}\nold\n${REFERENCE_END}\nb`, 'new'),
    `a\n${REFERENCE_BEGIN}\nnew\n${REFERENCE_END}\nb`,
  );
});

test('the published JSON Schema agrees with the app on sample policies (checked with Ajv, draft 2020-12)', () => {
  const requireFromBuilder = createRequire(createRequire(join(repoRoot, 'package.json')).resolve('app-builder-lib/package.json'));
  const Ajv2020 = (
    requireFromBuilder('ajv/dist/2020') as { default: new (options: object) => { compile(schema: object): (data: unknown) => boolean } }
  ).default;
  const check = new Ajv2020({ strict: false, allErrors: true }).compile(JSON.parse(policyJsonSchemaText()) as object);
  const samples = [
    '{}',
    '{"$schema": "./policy.schema.json", "audioMayLeaveDevice": false, "transcriptionEngines": ["local"]}',
    '{"ehrRouting": "hl7v2", "mllpHost": "hl7.example.org", "mllpPort": 2575, "mllpTls": false}',
    '{"updatePinnedVersion": null, "updateChannel": "beta", "signingRoles": ["clinician", "admin"]}',
    '{"audioMayLeaveDevic": false}',
    '{"mllpPort": 0}',
    '{"ehrRouting": "fax"}',
    '{"signingRoles": []}',
    '{"audioRetentionDays": 1.5}',
    '{"updateChannel": "Latest Stable"}',
  ];
  for (const text of samples) {
    assert.equal(check(JSON.parse(text)), validatePolicyText(text).ok, text);
  }
});

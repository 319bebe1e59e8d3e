#!/usr/bin/env node
// `npm run build:terminology` (part of `npm run build`, after build:node): converts the official
// ICD-10-CM release (the CMS zip) into the built-in code set the app loads at startup,
// dist/terminology/icd10cm-built-in.tsv.gz. The zip is read by path and never copied into the
// repository: SCRIBE_ICD10CM_ZIP, else ../shared/terminology/icd10cm/cms_2026_dx.zip beside it.
//
// Without the zip the build still succeeds (a development build) and says so loudly; the app then
// tells its users that the official code set is missing and codes against a small fallback set.
// Packaging refuses such a build (scripts/check-packaged-terminology.mjs).
import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const zip = resolve(root, process.env.SCRIBE_ICD10CM_ZIP ?? '../shared/terminology/icd10cm/cms_2026_dx.zip');
const out = join(root, 'dist', 'terminology', 'icd10cm-built-in.tsv.gz');

const { buildBuiltIn } = await import(join(root, 'dist', 'main', 'coding', 'builtin-build.js'));

rmSync(out, { force: true });
if (!existsSync(zip)) {
  process.stderr.write(
    [
      '',
      `WARNING: the official ICD-10-CM release is not at ${zip}.`,
      'This build has NO built-in code set: the app will say so and search only a small development fallback.',
      'Set SCRIBE_ICD10CM_ZIP to the CMS zip (e.g. cms_2026_dx.zip) and build again. Packaging refuses this build.',
      '',
    ].join('\n'),
  );
  process.exit(0);
}
const started = performance.now();
const built = buildBuiltIn([zip]);
if (!built.ok) {
  process.stderr.write(`The ICD-10-CM release at ${zip} cannot be built in:\n${built.problems.map((p) => `  ${p}`).join('\n')}\n`);
  process.exit(1);
}
mkdirSync(dirname(out), { recursive: true });
writeFileSync(out, built.bytes);
const { release, bytes } = built;
process.stdout.write(
  `Built-in ICD-10-CM FY${release.fiscalYear}: ${release.entries.length} codes from ${zip} → ${out} ` +
    `(${(bytes.length / 1e6).toFixed(1)} MB, ${Math.round(performance.now() - started)} ms)\n`,
);

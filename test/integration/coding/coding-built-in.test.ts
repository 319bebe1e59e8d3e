import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, test } from 'vitest';
import { openScribe } from '../../../main/compose.js';
import type { Scribe } from '../../../main/compose.js';
import { buildBuiltIn } from '../../../main/coding/builtin-build.js';
import { encodeBuiltIn } from '../../../main/coding/builtin-release.js';
import { ProblemList } from '../../../main/coding/import-error.js';
import { checkRelease } from '../../../main/coding/release-check.js';
import { readReleaseFiles } from '../../../main/coding/release-files.js';
import { createSqliteTerminologyRepository } from '../../../main/coding/terminology-repository.js';
import type { TerminologyService } from '../../../main/coding/terminology-service.js';
import { createTerminologyService } from '../../../main/coding/terminology-service.js';
import { ScribeError } from '../../../main/kernel/errors.js';
import { nullLogger } from '../../../main/log/logger.js';
import { createPassphraseKeyProvider } from '../../../main/store/passphrase-key-provider.js';
import {
  crlf,
  OFFICIAL_RELEASE_MISSING,
  officialRelease,
  SYNTHETIC_FISCAL_YEAR,
  syntheticFileName,
  syntheticRelease,
} from '../../helpers/icd-release.js';
import { skipWhen } from '../../helpers/skip.js';
import { FAST_SCRYPT, tempDir } from '../../helpers/temp-store.js';

const actor = { id: 'it-admin', role: 'admin' } as const;
const noRelease = officialRelease.present ? false : OFFICIAL_RELEASE_MISSING;

describe('the official ICD-10-CM release built into the app', () => {
  const tmp = tempDir('scribe-built-in-');
  let scribe: Scribe;
  const service = (builtInPath: string): TerminologyService =>
    createTerminologyService({
      store: scribe.store,
      releases: createSqliteTerminologyRepository(scribe.store),
      audit: scribe.audit,
      logger: nullLogger,
      builtInPath,
    });
  const syntheticFiles = () => {
    const release = syntheticRelease();
    const order = join(tmp.dir, syntheticFileName('order'));
    writeFileSync(order, crlf(release.order));
    return [order];
  };

  beforeAll(() => {
    scribe = openScribe({
      dataDir: join(tmp.dir, 'store'),
      keyProvider: createPassphraseKeyProvider('built-in test', FAST_SCRYPT),
      mode: 'create',
      actorId: actor.id,
    });
  });
  afterAll(() => {
    scribe.close();
    tmp.cleanup();
  });

  test('a build without it says so in plain words and codes against the labelled development fallback', () => {
    const terminology = service(join(tmp.dir, 'absent.tsv.gz'));
    const info = terminology.info();
    assert.equal(info.source, 'starter');
    assert.match(
      info.notice ?? '',
      /^This copy of Ambient Scribe was built without the official ICD-10-CM code set\. Only \d+ common outpatient codes/,
    );
    assert.deepEqual(
      terminology.search({ query: 'HTN', limit: 1, billableOnly: false }).hits.map((h) => h.code),
      ['I10'],
    );

    const damaged = join(tmp.dir, 'damaged.tsv.gz');
    writeFileSync(damaged, 'not gzip');
    assert.match(service(damaged).info().notice ?? '', /is damaged/);
  });

  test(
    'built from the CMS zip, it is the code set of a fresh install with every code (load time printed)',
    { ...skipWhen(noRelease), timeout: 120_000 },
    () => {
      const built = buildBuiltIn([officialRelease.zip]);
      assert.ok(built.ok, built.ok ? '' : built.problems.join('; '));
      const path = join(tmp.dir, 'icd10cm-built-in.tsv.gz');
      writeFileSync(path, built.bytes);
      assert.ok(built.bytes.length < 2_000_000, `${built.bytes.length} bytes`);

      const terminology = service(path);
      const started = performance.now();
      const info = terminology.info();
      const readMs = performance.now() - started;
      terminology.current();
      const loadMs = performance.now() - started;
      console.log(`built-in FY2026: read ${Math.round(readMs)} ms, read and indexed ${Math.round(loadMs)} ms`);
      assert.equal(info.source, 'built-in');
      assert.equal(info.version, 'FY2026');
      assert.equal(info.notice, undefined);
      assert.deepEqual(info.counts, { total: 98_186, billable: 74_719, headers: 23_467 });
      assert.equal(terminology.validate('S72.001A').status, 'billable');
      assert.ok(terminology.search({ query: 'penicillin allergy', limit: 3, billableOnly: false }).hits.some((h) => h.code === 'Z88.0'));

      // Importing the very release that is built in changes nothing.
      const same = terminology.import([officialRelease.zip], {}, actor);
      assert.equal(same.unchanged, true);
      assert.equal(same.info.source, 'built-in');

      // A newer release (next October's) imported by IT takes precedence, here and in a new process.
      const imported = terminology.import(syntheticFiles(), {}, actor);
      assert.equal(imported.unchanged, false);
      assert.equal(terminology.info().source, 'release');
      assert.equal(service(path).info().version, `FY${SYNTHETIC_FISCAL_YEAR}`);
      assert.equal(terminology.search({ query: 'E11.9', limit: 1, billableOnly: false }).version, `FY${SYNTHETIC_FISCAL_YEAR}`);
    },
  );

  test('a release older than the built-in one is refused and changes nothing', { ...skipWhen(noRelease), timeout: 120_000 }, () => {
    // A built-in code set of the next fiscal year (as an app update would bring), then FY2026 imported.
    const problems = new ProblemList();
    const next = checkRelease(readReleaseFiles(syntheticFiles(), problems), undefined, problems);
    assert.ok(next);
    const path = join(tmp.dir, 'next-year.tsv.gz');
    writeFileSync(path, encodeBuiltIn(next));
    const terminology = service(path);
    const before = terminology.info();
    assert.throws(
      () => terminology.import([officialRelease.zip], {}, actor),
      (error: unknown) => error instanceof ScribeError && error.reason === 'terminology.release_older_than_built_in',
    );
    assert.deepEqual(terminology.info(), before);
  });

  test('packaging refuses a build without the built-in code set', async () => {
    // electron-builder.yml's beforePack hook, called as electron-builder calls it.
    const hook = new URL('../../../scripts/check-packaged-terminology.mjs', import.meta.url).href;
    const { default: check } = (await import(hook)) as { default: (context: { packager: { projectDir: string } }) => Promise<void> };
    await assert.rejects(check({ packager: { projectDir: tmp.dir } }), /Packaging refused: .*icd10cm-built-in\.tsv\.gz is missing/);
  });
});

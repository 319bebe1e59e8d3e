import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, test } from 'vitest';
import { CLI_MISSING, cliBuilt, scribe } from '../../helpers/cli.js';
import {
  BUILT_IN_VERSION,
  crlf,
  SYNTHETIC_FISCAL_YEAR,
  syntheticEntries,
  syntheticFileName,
  syntheticRelease,
} from '../../helpers/icd-release.js';
import { tempDir } from '../../helpers/temp-store.js';
import { skipWhen } from '../../helpers/skip.js';

/** A small release in the official layout, so the CLI test does not spend the CPU a full import takes. */
function writeRelease(dir: string, edit?: (order: string[]) => void): string[] {
  mkdirSync(dir, { recursive: true });
  const release = syntheticRelease();
  edit?.(release.order);
  const order = join(dir, syntheticFileName('order'));
  const codes = join(dir, syntheticFileName('codes'));
  writeFileSync(order, crlf(release.order));
  writeFileSync(codes, crlf(release.codes));
  return [order, codes];
}

describe('scribe icd and scribe terminology', skipWhen(cliBuilt ? false : CLI_MISSING), () => {
  const tmp = tempDir('scribe-icd-cli-');
  const env = { SCRIBE_DATA_DIR: join(tmp.dir, 'store'), SCRIBE_PASSPHRASE: 'icd cli test passphrase', SCRIBE_USER: 'it-admin' };
  beforeAll(() => assert.equal(scribe(['init'], env).status, 0));
  afterAll(() => tmp.cleanup());

  test('search prints codes with descriptions, headers marked; --json gives the API result', () => {
    const text = scribe(['icd', 'search', 'HTN', '--limit', '3'], env);
    assert.equal(text.status, 0, text.stderr);
    const lines = text.stdout.trim().split('\n');
    assert.match(lines[0]!, /^I10 +Essential \(primary\) hypertension$/);
    assert.match(lines.at(-1)!, new RegExp(`^3 of \\d+ matches in ICD-10-CM ${BUILT_IN_VERSION}\\.$`));
    const json = JSON.parse(scribe(['icd', 'search', 'e11', '--json', '--limit', '2'], env).stdout) as {
      hits: { code: string; billable: boolean; matchedBy: string }[];
    };
    assert.deepEqual(json.hits[0], { code: 'E11', description: 'Type 2 diabetes mellitus', billable: false, matchedBy: 'code' });
    assert.equal(json.hits[1]!.billable, true);
    assert.match(scribe(['icd', 'search', 'E11', '--limit', '1'], env).stdout, /^E11 +\(header, not billable\) Type 2 diabetes mellitus$/m);
    assert.equal(scribe(['icd', 'search', 'x', '--limit', '0'], env).status, 2);
  });

  test('validate exits 0 only for a billable code, with a clear message otherwise', () => {
    const ok = scribe(['icd', 'validate', 'e11.9'], env);
    assert.equal(ok.status, 0, ok.stderr);
    assert.match(
      ok.stdout,
      new RegExp(`^E11\\.9 is billable: Type 2 diabetes mellitus without complications \\(ICD-10-CM ${BUILT_IN_VERSION}\\)\\.`),
    );
    const header = scribe(['icd', 'validate', 'E11'], env);
    assert.equal(header.status, 1);
    assert.match(
      header.stderr,
      /^E11 is a category header, not billable; choose a more specific code such as E11\.9 \(Type 2 diabetes mellitus without complications\)/,
    );
    const invented = scribe(['icd', 'validate', 'E11.99'], env);
    assert.equal(invented.status, 1);
    assert.match(invented.stderr, /E11\.99 does not exist/);
    const json = JSON.parse(scribe(['icd', 'validate', 'Z99.999', '--json'], env).stdout) as { status: string };
    assert.equal(json.status, 'unknown');
  });

  test('terminology import loads a release, reports it, and a second identical import changes nothing', () => {
    const files = writeRelease(join(tmp.dir, 'good'));
    const imported = scribe(['terminology', 'import', ...files], env);
    assert.equal(imported.status, 0, imported.stderr);
    const billable = syntheticEntries.filter((e) => e.billable).length;
    assert.match(
      imported.stdout,
      new RegExp(`^Imported ICD-10-CM FY${SYNTHETIC_FISCAL_YEAR}: ${syntheticEntries.length} codes, ${billable} billable`),
    );
    const info = JSON.parse(scribe(['terminology', 'info', '--json'], env).stdout) as {
      source: string;
      version: string;
      importedBy: string;
    };
    assert.equal(info.source, 'release');
    assert.equal(info.version, `FY${SYNTHETIC_FISCAL_YEAR}`);
    assert.equal(info.importedBy, 'it-admin');
    assert.match(
      scribe(['terminology', 'info'], env).stdout,
      new RegExp(
        `Code set +ICD-10-CM FY${SYNTHETIC_FISCAL_YEAR} \\(an official release imported by IT\\)\\nCodes +713 \\(369 billable, 344 headers\\)`,
      ),
    );
    assert.match(scribe(['terminology', 'import', ...files], env).stdout, /already the code set in use; nothing changed/);
    assert.match(scribe(['icd', 'validate', 'I10'], env).stdout, new RegExp(`ICD-10-CM FY${SYNTHETIC_FISCAL_YEAR}`));
  });

  test('a corrupted file fails with its line number, exit 1, and the code set in use stays', () => {
    const files = writeRelease(join(tmp.dir, 'bad'), (order) => {
      order[9] = `${order[9]!.slice(0, 14)}x${order[9]!.slice(15)}`;
    });
    const failed = scribe(['terminology', 'import', ...files], env);
    assert.equal(failed.status, 1);
    assert.match(
      failed.stderr,
      new RegExp(`icd10cm_order_${SYNTHETIC_FISCAL_YEAR}\\.txt line 10: column 15 \\(valid for billing\\) must be 0 or 1`),
    );
    assert.match(failed.stderr, new RegExp(`The code set in use \\(ICD-10-CM FY${SYNTHETIC_FISCAL_YEAR}\\) is unchanged`));
    assert.ok(!/at .*\.js:\d+/.test(failed.stderr), 'no stack trace');
    const info = JSON.parse(scribe(['terminology', 'info', '--json'], env).stdout) as { version: string; counts: { total: number } };
    assert.equal(info.version, `FY${SYNTHETIC_FISCAL_YEAR}`);
    assert.equal(info.counts.total, syntheticEntries.length);
    const audit = scribe(['audit', 'verify'], env);
    assert.equal(audit.status, 0, audit.stdout);
  });

  test('a release cut short at a line boundary is refused with what it lacks, exit 1', () => {
    const [order] = writeRelease(join(tmp.dir, 'cut'), (lines) => {
      lines.splice(syntheticEntries.findIndex((e) => e.code === 'Y99'));
    });
    const failed = scribe(['terminology', 'import', order!], env);
    assert.equal(failed.status, 1);
    assert.match(failed.stderr, /not imported: it is incomplete \(no codes of chapter 20; the closing categories Y99, Z99 missing\)/);
    assert.match(failed.stderr, /get the release again from CMS/);
    const info = JSON.parse(scribe(['terminology', 'info', '--json'], env).stdout) as { counts: { total: number } };
    assert.equal(info.counts.total, syntheticEntries.length);
  });
});

import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, test } from 'vitest';
import { openScribe } from '../../../main/compose.js';
import type { Scribe } from '../../../main/compose.js';
import { TerminologyImportError } from '../../../main/coding/import-error.js';
import { createSqliteTerminologyRepository } from '../../../main/coding/terminology-repository.js';
import { createTerminologyService } from '../../../main/coding/terminology-service.js';
import { nullLogger } from '../../../main/log/logger.js';
import { createPassphraseKeyProvider } from '../../../main/store/passphrase-key-provider.js';
import type { IcdSearchResult, IcdValidation, TerminologyInfo } from '../../../shared/domain/terminology.js';
import { crlf, OFFICIAL_RELEASE_MISSING, officialRelease, syntheticFileName, syntheticRelease } from '../../helpers/icd-release.js';
import { ScribeError } from '../../../main/kernel/errors.js';
import { FAST_SCRYPT, tempDir } from '../../helpers/temp-store.js';
import { skipWhen } from '../../helpers/skip.js';

const actor = { id: 'admin-test', role: 'admin' } as const;
const ctx = { transport: 'cli', actor } as const;
const noRelease = officialRelease.present ? false : OFFICIAL_RELEASE_MISSING;

async function call<T>(scribe: Scribe, channel: string, request: unknown): Promise<T> {
  const result = await scribe.dispatch(channel, request, ctx);
  assert.ok(result.ok, `${channel}: ${result.ok ? '' : result.error.message}`);
  return result.value as T;
}
const search = async (scribe: Scribe, query: string, limit = 5) =>
  (await call<IcdSearchResult>(scribe, 'icd:search', { query, limit })).hits.map((h) => h.code);
const codeRows = (scribe: Scribe) => (scribe.store.db.prepare('SELECT count(*) AS n FROM icd10cm_codes').get() as { n: number }).n;
const imports = (scribe: Scribe) => [...scribe.audit.entries()].filter((e) => e.action === 'terminology.imported');

describe('ICD-10-CM terminology in the encrypted store', () => {
  const tmp = tempDir('scribe-terminology-');
  let scribe: Scribe;
  /** A second process on the same store, opened before the import. */
  let other: Scribe;
  beforeAll(() => {
    const keyProvider = createPassphraseKeyProvider('terminology test passphrase', FAST_SCRYPT);
    scribe = openScribe({ dataDir: tmp.dir, keyProvider, mode: 'create', actorId: actor.id });
    other = openScribe({ dataDir: tmp.dir, keyProvider, mode: 'open' });
  });
  afterAll(() => {
    other.close();
    scribe.close();
    tmp.cleanup();
  });

  test('from source (no build, so no built-in release) the development fallback answers search, validation and info', async () => {
    const info = await call<TerminologyInfo>(scribe, 'terminology:info', {});
    assert.equal(info.source, 'starter');
    assert.match(info.notice ?? '', /built without the official ICD-10-CM code set/);
    assert.equal(info.version, 'starter-fy2026');
    assert.ok(info.counts.billable >= 150 && info.counts.billable <= 400, String(info.counts.billable));
    assert.deepEqual(await search(other, 'HTN', 1), ['I10']);
    const header = await call<IcdValidation>(scribe, 'icd:validate', { code: 'E11' });
    assert.equal(header.status, 'header');
    assert.match(header.message, /choose a more specific code such as E11\.9/);
    // Outside the starter set until the release is imported.
    assert.equal((await call<IcdValidation>(scribe, 'icd:validate', { code: 'S72.001A' })).status, 'unknown');
  });

  test('the full official release imports from its zip, with the counts of the release', skipWhen(noRelease), async () => {
    const outcome = scribe.terminology.import([officialRelease.zip], {}, actor);
    assert.equal(outcome.unchanged, false);
    assert.equal(outcome.info.version, 'FY2026');
    assert.equal(outcome.info.fiscalYear, 2026);
    assert.deepEqual(outcome.info.counts, { total: 98_186, billable: 74_719, headers: 23_467 });
    assert.deepEqual(outcome.info.files, ['cms_2026_dx.zip/icd10cm_order_2026.txt', 'cms_2026_dx.zip/icd10cm_codes_2026.txt']);
    assert.equal(codeRows(scribe), 98_186);
    const audited = imports(scribe);
    assert.equal(audited.length, 1);
    assert.equal(audited[0]!.actor, actor.id);
    assert.equal(scribe.audit.verify().ok, true);

    const info = await call<TerminologyInfo>(scribe, 'terminology:info', {});
    assert.equal(info.source, 'release');
    assert.equal(info.importedBy, actor.id);
    // The other process had the starter set loaded: it notices the new release on its next call.
    const validated = await call<IcdValidation>(other, 'icd:validate', { code: 's72.001a' });
    assert.equal(validated.status, 'billable');
    assert.equal(validated.description, 'Fracture of unspecified part of neck of right femur, initial encounter for closed fracture');
    assert.equal(validated.version, 'FY2026');
  });

  test('search on the full code set: prefixes, words, abbreviations, billable first', skipWhen(noRelease), async () => {
    assert.deepEqual((await search(scribe, 'E11', 3)).slice(0, 1), ['E11']);
    assert.deepEqual(await search(scribe, 'e11.6', 2), ['E11.6', 'E11.65']);
    assert.deepEqual(await search(scribe, 'E116', 2), ['E11.6', 'E11.65']);
    const expected: Record<string, string> = {
      HTN: 'I10',
      T2DM: 'E11.9',
      CHF: 'I50.9',
      COPD: 'J44.9',
      GERD: 'K21.9',
      UTI: 'N39.0',
      URI: 'J06.9',
      AFib: 'I48.91',
      CAD: 'I25.10',
    };
    for (const [q, code] of Object.entries(expected)) assert.equal((await search(scribe, q, 1))[0], code, q);
    assert.equal((await search(scribe, 'foot ulcer type 2 diab', 1))[0], 'E11.621');
    const result = await call<IcdSearchResult>(scribe, 'icd:search', { query: 'fracture femur neck', limit: 50 });
    assert.ok(result.total > 50);
    const firstHeader = result.hits.findIndex((h) => !h.billable);
    assert.ok(firstHeader === -1 || result.hits.slice(firstHeader).every((h) => !h.billable));
    const invented = await call<IcdValidation>(scribe, 'icd:validate', { code: 'E11.99' });
    assert.equal(invented.status, 'unknown');
    assert.match(invented.message, /E11\.99 does not exist in ICD-10-CM FY2026/);
  });

  test('suggestions on the full code set: specific codes it holds, billable only', skipWhen(noRelease), () => {
    const suggestions = scribe.terminology.suggest({
      assessment: [
        { id: 's1', text: 'Type 2 diabetes with diabetic chronic kidney disease, CKD stage 3a.' },
        { id: 's2', text: 'Acute cystitis with hematuria.' },
        { id: 's3', text: 'Hypertension.' },
        { id: 's4', text: 'No evidence of pneumonia.' },
      ],
      transcript: [{ id: 'seg-1', text: 'It burns when I pee, acute cystitis again I guess' }],
    });
    assert.deepEqual(
      suggestions.map((s) => s.code),
      ['E11.22', 'N18.31', 'N30.01', 'I12.9'],
    );
    for (const s of suggestions) assert.equal(scribe.terminology.current().codeSet.get(s.code.replace('.', ''))?.billable, true, s.code);
    assert.deepEqual(suggestions[2]!.evidence, ['s2', 'seg-1']);
  });

  test('a corrupted order file fails with its line number and leaves the release in place', skipWhen(noRelease), () => {
    const before = scribe.terminology.info();
    const lines = readFileSync(officialRelease.order, 'latin1').split('\r\n');
    const corrupt = (name: string, edit: (line: string) => string, at: number) => {
      const copy = [...lines];
      copy[at - 1] = edit(copy[at - 1]!);
      const file = join(tmp.dir, name);
      writeFileSync(file, copy.join('\r\n'), 'latin1');
      return file;
    };
    // An invalid code in the code column.
    const badCode = corrupt('icd10cm_order_2026.txt', (l) => `${l.slice(0, 6)}E1$.9  ${l.slice(13)}`, 40_000);
    assert.throws(
      () => scribe.terminology.import([badCode, officialRelease.codes], {}, actor),
      (error: unknown) => {
        assert.ok(error instanceof TerminologyImportError);
        assert.equal(error.code, 'bad_request');
        assert.equal(error.reason, 'terminology.release_invalid');
        assert.match(error.message, /icd10cm_order_2026\.txt line 40000: the code field \(columns 7-13\) does not hold an ICD-10-CM code/);
        assert.match(error.message, /The code set in use \(ICD-10-CM FY2026\) is unchanged/);
        return true;
      },
    );
    // A billable code turned into a header: the hierarchy and the codes file no longer agree.
    const flipped = lines.findIndex((l) => l.slice(6, 13).trimEnd() === 'I10') + 1;
    const badFlag = corrupt('icd10cm_order_2026.txt', (l) => `${l.slice(0, 14)}0${l.slice(15)}`, flipped);
    assert.throws(
      () => scribe.terminology.import([badFlag, officialRelease.codes], {}, actor),
      new RegExp(`line ${flipped}: I10 is a header \\(flag 0\\) but no code below it is in the file`),
    );
    assert.deepEqual(scribe.terminology.info(), before);
    assert.equal(codeRows(scribe), 98_186);
    assert.equal(imports(scribe).length, 1);
  });

  test('an official file cut at a line boundary is refused, naming what is missing', skipWhen(noRelease), () => {
    const before = scribe.terminology.info();
    const cut = (source: string, keep: number) => {
      const lines = readFileSync(source, 'latin1').split('\r\n').slice(0, keep);
      const file = join(tmp.dir, 'cut', source.split('/').at(-1)!);
      mkdirSync(join(tmp.dir, 'cut'), { recursive: true });
      writeFileSync(file, `${lines.join('\r\n')}\r\n`, 'latin1');
      return file;
    };
    const refused = (paths: string[]): ScribeError => {
      try {
        scribe.terminology.import(paths, {}, actor);
      } catch (error) {
        assert.ok(error instanceof ScribeError);
        return error;
      }
      assert.fail('the cut release was imported');
    };
    // The repro: the first half of the order file (through S55.991A) was accepted as FY2026.
    const order = refused([cut(officialRelease.order, 49_093)]);
    assert.equal(order.reason, 'terminology.release_incomplete');
    assert.equal(order.code, 'bad_request');
    assert.deepEqual(order.details, {
      fiscalYear: 2026,
      expectedCodes: 98_186,
      foundCodes: 49_093,
      expectedBillable: 74_719,
      foundBillable: 38_214,
      missingChapters: '20, 21, 22',
      missingCategories: 'T88, Y99, Z99, U09',
    });
    assert.match(order.message, /FY2026's order file has 98,186 codes \(74,719 billable\); this one has 49,093/);
    assert.match(order.message, /The code set in use \(ICD-10-CM FY2026\) is unchanged/);
    // Only the last line (U09.9) gone from the codes file.
    const codes = refused([cut(officialRelease.codes, 74_718)]);
    assert.equal(codes.reason, 'terminology.release_incomplete');
    assert.deepEqual(codes.details, {
      fiscalYear: 2026,
      expectedBillable: 74_719,
      foundBillable: 74_718,
      missingChapters: '',
      missingCategories: 'U09',
    });
    assert.deepEqual(scribe.terminology.info(), before);
    assert.equal(codeRows(scribe), 98_186);
    assert.equal(imports(scribe).length, 1);
  });

  test('importing the same release again changes nothing', skipWhen(noRelease), () => {
    const again = scribe.terminology.import([officialRelease.order, officialRelease.codes], {}, actor);
    assert.equal(again.unchanged, true);
    assert.equal(imports(scribe).length, 1);
  });

  test('an import that fails while writing leaves the previous code set whole', () => {
    const before = scribe.terminology.info();
    const rowsBefore = codeRows(scribe);
    const real = createSqliteTerminologyRepository(scribe.store);
    const failing = createTerminologyService({
      store: scribe.store,
      audit: scribe.audit,
      logger: nullLogger,
      releases: {
        ...real,
        activate(release, entries) {
          real.activate(release, entries);
          throw new Error('disk full');
        },
      },
    });
    const synthetic = syntheticRelease();
    const order = join(tmp.dir, syntheticFileName('order'));
    writeFileSync(order, crlf(synthetic.order));
    assert.throws(() => failing.import([order], {}, actor), /disk full/);
    assert.deepEqual(scribe.terminology.info(), before);
    assert.equal(codeRows(scribe), rowsBefore);
    assert.equal(scribe.audit.verify().ok, true);
  });
});

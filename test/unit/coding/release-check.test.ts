import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, test } from 'vitest';
import { strToU8, zipSync } from 'fflate';
import { ProblemList, TooManyProblems } from '../../../main/coding/import-error.js';
import type { Release } from '../../../main/coding/release-check.js';
import { checkRelease } from '../../../main/coding/release-check.js';
import { fiscalYearInName, readReleaseFiles } from '../../../main/coding/release-files.js';
import {
  crlf,
  orderLine,
  SYNTHETIC_FISCAL_YEAR,
  syntheticEntries,
  syntheticFileName,
  syntheticRelease,
} from '../../helpers/icd-release.js';
import { tempDir } from '../../helpers/temp-store.js';

const tmp = tempDir('scribe-icd-check-');
afterAll(() => tmp.cleanup());
let fileNo = 0;

function write(name: string, content: string | Uint8Array): string {
  fileNo += 1;
  // One folder per file, so tests can reuse the official names.
  const dir = join(tmp.dir, String(fileNo));
  mkdirSync(dir, { recursive: true });
  const path = join(dir, name);
  writeFileSync(path, content);
  return path;
}

function check(paths: string[], fiscalYear?: number): { release: Release | undefined; problems: ProblemList } {
  const problems = new ProblemList();
  let release: Release | undefined;
  try {
    release = checkRelease(readReleaseFiles(paths, problems), fiscalYear, problems);
  } catch (error) {
    if (!(error instanceof TooManyProblems)) throw error;
  }
  return { release, problems };
}

const synthetic = syntheticRelease();
const billableCount = syntheticEntries.filter((e) => e.billable).length;
const ORDER = syntheticFileName('order');
const CODES = syntheticFileName('codes');

describe('release checks', () => {
  test('a well-formed order file and codes file pass, with the fiscal year from their names', () => {
    const { release, problems } = check([write(ORDER, crlf(synthetic.order)), write(CODES, crlf(synthetic.codes))]);
    assert.deepEqual(problems.items, []);
    assert.ok(release);
    assert.equal(release.fiscalYear, SYNTHETIC_FISCAL_YEAR);
    assert.equal(release.fromOrderFile, true);
    assert.equal(release.entries.length, syntheticEntries.length);
    assert.equal(release.entries.filter((e) => e.billable).length, billableCount);
    assert.match(release.sha256, /^[0-9a-f]{64}$/);
  });

  test('the zip CMS ships is read in memory, its PDFs and addenda ignored', () => {
    const zip = zipSync({
      [ORDER]: strToU8(crlf(synthetic.order)),
      [CODES]: strToU8(crlf(synthetic.codes)),
      [`icd10cm_order_addenda_${SYNTHETIC_FISCAL_YEAR}.txt`]: strToU8('Add:   1 X\r\n'),
      'icd10OrderFiles.pdf': new Uint8Array([37, 80, 68, 70]),
    });
    const { release, problems } = check([write('release.zip', zip)]);
    assert.deepEqual(problems.items, []);
    assert.deepEqual(release?.files, [`release.zip/${ORDER}`, `release.zip/${CODES}`]);
    assert.equal(release?.fiscalYear, SYNTHETIC_FISCAL_YEAR);
  });

  test('a codes file alone is a code set of billable codes', () => {
    const { release, problems } = check([write(CODES, crlf(synthetic.codes))]);
    assert.deepEqual(problems.items, []);
    assert.equal(release?.entries.length, billableCount);
    assert.equal(release?.fromOrderFile, false);
    assert.ok(release?.entries.every((e) => e.billable));
  });

  test('the fiscal year comes from the names, from --fiscal-year, and must agree', () => {
    assert.equal(fiscalYearInName('icd10cm_order_2026.txt'), 2026);
    assert.equal(fiscalYearInName('cms_2025_dx.zip'), 2025);
    assert.equal(fiscalYearInName('icd10cm.txt'), undefined);
    const unnamed = write('release-order.txt', crlf(synthetic.order));
    assert.match(check([unnamed]).problems.items[0]!.message, /pass it with --fiscal-year/);
    assert.equal(check([unnamed], 2026).release?.fiscalYear, 2026);
    const named = write('icd10cm_order_2026.txt', crlf(synthetic.order));
    assert.match(check([named], 2025).problems.items[0]!.message, /say fiscal year 2026, not 2025/);
    const codes2025 = write('icd10cm_codes_2025.txt', crlf(synthetic.codes));
    assert.match(check([named, codes2025]).problems.items[0]!.message, /different fiscal years \(2025, 2026\)/);
  });

  test('an addenda file is refused: it lists changes, not a code set', () => {
    const { release, problems } = check([write('icd10cm_order_addenda_2026.txt', 'Add:         1 B8801   Infestation\r\n')]);
    assert.equal(release, undefined);
    assert.match(problems.items[0]!.message, /addenda file/);
  });

  test('a duplicate code is reported on its second line, naming the first', () => {
    const order = [...synthetic.order];
    const i = syntheticEntries.findIndex((e) => e.code === 'E119');
    const j = syntheticEntries.findIndex((e) => e.code === 'E1165');
    order[j] = orderLine(j + 1, 'E119', true, 'dup', 'Type 2 diabetes mellitus without complications');
    const { problems } = check([write(ORDER, crlf(order))]);
    assert.deepEqual(
      problems.items.map((p) => [p.line, p.message]),
      [[Math.max(i, j) + 1, `code E11.9 appears again (first on line ${Math.min(i, j) + 1})`]],
    );
  });

  test('a header marked billable, or a leaf marked header, breaks the hierarchy at its line', () => {
    const header = syntheticEntries.findIndex((e) => e.code === 'E11');
    const asBillable = [...synthetic.order];
    asBillable[header] = asBillable[header]!.slice(0, 14) + '1' + asBillable[header]!.slice(15);
    const first = check([write(ORDER, crlf(asBillable))]).problems.items;
    assert.equal(first[0]!.line, header + 1);
    assert.match(first[0]!.message, /E11 is marked billable \(flag 1\) but has codes below it/);

    const leaf = syntheticEntries.findIndex((e) => e.code === 'I10');
    const asHeader = [...synthetic.order];
    asHeader[leaf] = asHeader[leaf]!.slice(0, 14) + '0' + asHeader[leaf]!.slice(15);
    const second = check([write(ORDER, crlf(asHeader))]).problems.items;
    assert.deepEqual(
      second.map((p) => p.line),
      [leaf + 1],
    );
    assert.match(second[0]!.message, /I10 is a header \(flag 0\) but no code below it/);
  });

  test('a code without its category is reported', () => {
    const order = [...synthetic.order, orderLine(synthetic.order.length + 1, 'Q989', true, 'Made up', 'Made up')];
    const { problems } = check([write(ORDER, crlf(order))]);
    assert.deepEqual(
      problems.items.map((p) => p.line),
      [order.length],
    );
    assert.match(problems.items[0]!.message, /Q98.9 has no category Q98/);
  });

  test('the codes file must list exactly the order file billable codes, with the same titles', () => {
    const order = write(ORDER, crlf(synthetic.order));
    const missing = check([order, write(CODES, crlf(synthetic.codes.slice(1)))]).problems.items;
    assert.match(
      missing[0]!.message,
      new RegExp(`has ${billableCount - 1} lines but the order file marks ${billableCount} codes billable`),
    );
    assert.ok(missing.some((p) => /is billable but missing from the codes file/.test(p.message)));

    const retitled = [...synthetic.codes];
    retitled[3] = retitled[3]!.replace(/ (\S)/, ' X$1');
    const changed = check([order, write(CODES, crlf(retitled))]).problems.items;
    assert.deepEqual(
      changed.map((p) => p.line),
      [4],
    );
    assert.match(changed[0]!.message, /differs from the order file's/);
  });

  test('a file of garbage stops after a bounded number of problems', () => {
    const garbage = Array.from({ length: 500 }, (_, i) => `line ${i} of something else entirely`);
    const { release, problems } = check([write(ORDER, crlf(garbage))]);
    assert.equal(release, undefined);
    assert.equal(problems.items.length, 20);
  });

  test('a file not named like a release file is named by its position, never by its own name', () => {
    const { problems } = check([write('Zzyzx Quillfeather notes.txt', 'Dear doctor, ...\r\n')]);
    assert.equal(problems.items[0]!.file, 'input file 1');
    assert.ok(!JSON.stringify(problems.items).includes('Zzyzx'));
  });

  test('a zip whose name and contents disagree on the year is refused', () => {
    const zip = zipSync({ 'icd10cm_order_2026.txt': strToU8(crlf(synthetic.order)) });
    assert.match(
      check([write('cms_2025_dx.zip', zip)]).problems.items[0]!.message,
      /the zip's name says 2025 but it holds icd10cm_order_2026\.txt/,
    );
  });

  test('a missing file is a clear problem', () => {
    const { problems } = check([join(tmp.dir, 'nope', 'icd10cm_order_2026.txt')]);
    assert.match(problems.items[0]!.message, /cannot be read/);
  });
});

import assert from 'node:assert/strict';
import { describe, test } from 'vitest';
import { releaseIncomplete } from '../../../main/coding/import-error.js';
import { checkCompleteness, KNOWN_RELEASES, NEWEST_KNOWN_FISCAL_YEAR } from '../../../main/coding/release-completeness.js';
import { SYNTHETIC_FISCAL_YEAR, syntheticEntries } from '../../helpers/icd-release.js';

const billable = syntheticEntries.filter((e) => e.billable);
/** Everything before the first entry whose code starts with `code`: a file cut at a line boundary. */
const cutBefore = (code: string) =>
  syntheticEntries.slice(
    0,
    syntheticEntries.findIndex((e) => e.code.startsWith(code)),
  );

describe('release completeness', () => {
  test('FY2026 is known by the counts of the CMS files', () => {
    assert.deepEqual(KNOWN_RELEASES.get(2026), { codes: 98_186, billable: 74_719 });
    assert.ok(SYNTHETIC_FISCAL_YEAR > NEWEST_KNOWN_FISCAL_YEAR && !KNOWN_RELEASES.has(SYNTHETIC_FISCAL_YEAR));
  });

  test('a release of a year without known counts that holds every chapter and closing category is complete', () => {
    assert.deepEqual(checkCompleteness(SYNTHETIC_FISCAL_YEAR, syntheticEntries, true), { kind: 'complete' });
    assert.deepEqual(checkCompleteness(SYNTHETIC_FISCAL_YEAR, billable, false), { kind: 'complete' });
  });

  test('a release cut short lacks the chapters and closing categories after the cut', () => {
    // The synthetic release ends with the closing categories the starter set lacks, T88 to Z99 last.
    const verdict = checkCompleteness(SYNTHETIC_FISCAL_YEAR, cutBefore('T88'), true);
    assert.deepEqual(verdict, {
      kind: 'incomplete',
      gaps: { fiscalYear: SYNTHETIC_FISCAL_YEAR, chapters: [19, 20], categories: ['T88', 'Y99', 'Z99'] },
    });
  });

  test('a known year is held to its counts, even with every chapter and closing category present', () => {
    const order = checkCompleteness(2026, syntheticEntries, true);
    assert.equal(order.kind, 'incomplete');
    assert.deepEqual(order.kind === 'incomplete' && order.gaps.counts, {
      expected: { codes: 98_186, billable: 74_719 },
      found: { codes: syntheticEntries.length, billable: billable.length },
    });
    const codes = checkCompleteness(2026, billable, false);
    assert.deepEqual(codes.kind === 'incomplete' && codes.gaps.counts, {
      expected: { codes: 98_186, billable: 74_719 },
      found: { billable: billable.length },
    });
  });

  test('an earlier year the app has no counts for is not checked but refused', () => {
    assert.deepEqual(checkCompleteness(NEWEST_KNOWN_FISCAL_YEAR - 1, syntheticEntries, true), {
      kind: 'unknown_year',
      fiscalYear: NEWEST_KNOWN_FISCAL_YEAR - 1,
    });
  });

  test('the error names what is missing, in its message and its details', () => {
    const error = releaseIncomplete(
      {
        fiscalYear: 2026,
        counts: { expected: { codes: 98_186, billable: 74_719 }, found: { codes: 49_093, billable: 37_000 } },
        chapters: [20, 21, 22],
        categories: ['T88', 'Y99', 'Z99', 'U09'],
      },
      'The code set in use is unchanged.',
    );
    assert.equal(error.reason, 'terminology.release_incomplete');
    assert.equal(error.code, 'bad_request');
    assert.deepEqual(error.details, {
      fiscalYear: 2026,
      expectedCodes: 98_186,
      foundCodes: 49_093,
      expectedBillable: 74_719,
      foundBillable: 37_000,
      missingChapters: '20, 21, 22',
      missingCategories: 'T88, Y99, Z99, U09',
    });
    assert.match(error.message, /FY2026's order file has 98,186 codes \(74,719 billable\); this one has 49,093 \(37,000 billable\)/);
    assert.match(error.message, /no codes of chapters 20, 21, 22; the closing categories T88, Y99, Z99, U09 missing/);
    assert.match(error.message, /The code set in use is unchanged\.$/);
  });
});

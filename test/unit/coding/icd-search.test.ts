import assert from 'node:assert/strict';
import { describe, test } from 'vitest';
import { abbreviations } from '../../../main/coding/abbreviations.js';
import { withDot } from '../../../main/coding/icd-code.js';
import { topK } from '../../../main/coding/icd-search.js';
import { starterEntries, starterInfo } from '../../../main/coding/starter-set.js';
import { loadTerminology } from '../../../main/coding/terminology.js';

const starter = loadTerminology(starterEntries, starterInfo);
const search = (q: string, limit = 10, billableOnly = false) => starter.index.search(q, { limit, billableOnly });
const codes = (q: string, limit = 10) => search(q, limit).hits.map((h) => withDot(h.entry.code));

describe('ICD-10-CM search (starter set)', () => {
  test('by code prefix, with or without the dot, in any case: exact code first, then billable codes', () => {
    for (const q of ['E11', 'e11', 'E11.']) {
      const hits = search(q, 50).hits;
      assert.equal(hits[0]!.entry.code, 'E11', q);
      assert.equal(hits[0]!.matchedBy, 'code');
      assert.ok(
        hits.slice(1).every((h) => h.entry.code.startsWith('E11')),
        q,
      );
      const firstHeader = hits.slice(1).findIndex((h) => !h.entry.billable);
      const lastBillable = hits
        .slice(1)
        .map((h) => h.entry.billable)
        .lastIndexOf(true);
      assert.ok(firstHeader === -1 || firstHeader > lastBillable, `${q}: billable codes before headers`);
    }
    assert.deepEqual(codes('e11.6', 4), ['E11.6', 'E11.65', 'E11.69', 'E11.621']);
    assert.deepEqual(codes('E116', 3), codes('e11.6', 3));
    assert.equal(codes('E11.65')[0], 'E11.65');
  });

  test('by words in any order, by prefixes of words, in any case', () => {
    assert.equal(codes('type 2 diabetes mellitus without complications')[0], 'E11.9');
    assert.equal(codes('COMPLICATIONS without diabetes type 2')[0], 'E11.9');
    assert.equal(codes('type 2 diab hyperglyc')[0], 'E11.65');
    assert.deepEqual(codes('diab hyperglyc').slice(0, 2).sort(), ['E10.65', 'E11.65']);
    assert.equal(codes('vit d def')[0], 'E55.9');
    assert.equal(codes('allergic rhinitis pollen')[0], 'J30.1');
    assert.equal(codes('knee pain right')[0], 'M25.561');
  });

  test('light stemming: plurals and adjectives meet the titles', () => {
    assert.ok(codes('urinary tract infections').includes('N39.0'));
    assert.ok(codes('diabetic neuropathy').includes('E11.40'));
    assert.ok(codes('hypertensive kidney').includes('I12.9'));
  });

  test('by clinician abbreviations', () => {
    const expected: Record<string, string> = {
      HTN: 'I10',
      T2DM: 'E11.9',
      DM2: 'E11.9',
      CHF: 'I50.9',
      COPD: 'J44.9',
      URI: 'J06.9',
      UTI: 'N39.0',
      GERD: 'K21.9',
      CKD: 'N18.9',
      AFib: 'I48.91',
      'a-fib': 'I48.91',
      'a fib': 'I48.91',
      CAD: 'I25.10',
      MI: 'I21.9',
      OA: 'M19.90',
      BPH: 'N40.0',
      OSA: 'G47.33',
      HLD: 'E78.5',
      MDD: 'F32.9',
      GAD: 'F41.1',
      ADHD: 'F90.9',
      DVT: 'I82.409',
      PE: 'I26.99',
      hfref: 'I50.20',
    };
    for (const [q, code] of Object.entries(expected)) {
      const hits = search(q, 5).hits;
      assert.equal(hits[0] && withDot(hits[0].entry.code), code, q);
      assert.equal(hits[0]!.matchedBy, 'abbreviation', q);
    }
    assert.equal(codes('HTN with CKD')[0], 'I12.9');
    assert.equal(codes('T2DM foot ulcer')[0], 'E11.621');
  });

  test('every abbreviation in the table finds something or is ambiguous enough to leave alone', () => {
    const lost = abbreviations.filter((a) => !a.ambiguous && search(a.abbr, 1).total === 0).map((a) => a.abbr);
    // The starter set is small: only conditions it does not cover may find nothing.
    assert.ok(lost.length < abbreviations.length / 3, lost.join(', '));
  });

  test('billable codes rank above headers for word matches', () => {
    const hits = search('diabetes', 60).hits;
    const firstHeader = hits.findIndex((h) => !h.entry.billable);
    assert.ok(firstHeader > 0);
    assert.ok(hits.slice(firstHeader).every((h) => !h.entry.billable));
    assert.ok(search('diabetes', 60, true).hits.every((h) => h.entry.billable));
  });

  test('a query for a condition puts its general code before the long tail', () => {
    assert.equal(codes('hypertension')[0], 'I10');
    assert.equal(codes('asthma')[0], 'J45.909');
    assert.equal(codes('obesity')[0], 'E66.9');
    assert.equal(codes('low back pain')[0], 'M54.50');
  });

  test('total counts every match while hits stop at the limit; nonsense finds nothing', () => {
    const r = search('diabetes', 3);
    assert.equal(r.hits.length, 3);
    assert.ok(r.total > 3);
    assert.equal(search('qwxzv', 5).total, 0);
    assert.equal(search('of the', 5).total, 0);
  });
});

test('topK returns the k best in order, as a full sort would', () => {
  const items = Array.from({ length: 1000 }, (_, i) => (i * 7919) % 1000);
  const compare = (a: number, b: number) => a - b;
  assert.deepEqual(topK(items, 10, compare), [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
  assert.deepEqual(topK([3, 1, 2], 10, compare), [1, 2, 3]);
  assert.deepEqual(topK(items, 0, compare), []);
});

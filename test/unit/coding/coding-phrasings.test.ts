import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, test } from 'vitest';
import { countEntries } from '../../../main/coding/code-set.js';
import { withDot } from '../../../main/coding/icd-code.js';
import { ProblemList } from '../../../main/coding/import-error.js';
import { checkRelease } from '../../../main/coding/release-check.js';
import { readReleaseFiles } from '../../../main/coding/release-files.js';
import type { Terminology } from '../../../main/coding/terminology.js';
import { loadTerminology } from '../../../main/coding/terminology.js';
import { OFFICIAL_RELEASE_MISSING, officialRelease } from '../../helpers/icd-release.js';
import { skipWhen } from '../../helpers/skip.js';

interface Phrasing {
  readonly query: string;
  readonly expected: readonly string[];
  readonly within?: number;
}

const fixture = JSON.parse(readFileSync(new URL('../../fixtures/coding-phrasings.json', import.meta.url), 'utf8')) as {
  phrasings: Phrasing[];
};
/** The share of phrasings whose code must rank within their `within`; every miss is printed. */
const PASS_THRESHOLD = 0.95;

let loaded: Terminology | undefined;
function official(): Terminology {
  if (loaded) return loaded;
  const problems = new ProblemList();
  const release = checkRelease(readReleaseFiles([officialRelease.order], problems), undefined, problems);
  assert.ok(release, 'the official order file parses');
  loaded = loadTerminology(release.entries, {
    system: 'ICD-10-CM',
    version: `FY${release.fiscalYear}`,
    fiscalYear: release.fiscalYear,
    source: 'release',
    files: [],
    counts: countEntries(release.entries),
  });
  return loaded;
}
const codes = (query: string, limit = 10) =>
  official()
    .index.search(query, { limit })
    .hits.map((h) => withDot(h.entry.code));
const accepts = (expected: readonly string[], code: string) =>
  expected.some((e) => (e.endsWith('*') ? code.startsWith(e.slice(0, -1)) : code === e));

describe(
  'code search on the full FY2026 release understands clinical phrasing',
  { ...skipWhen(officialRelease.present ? false : OFFICIAL_RELEASE_MISSING), timeout: 120_000 },
  () => {
    test('the fixture holds at least 40 phrasings, each expecting codes of the release', () => {
      assert.ok(fixture.phrasings.length >= 40, String(fixture.phrasings.length));
      const missing = fixture.phrasings
        .flatMap((p) => p.expected)
        .filter((e) =>
          e.endsWith('*')
            ? official().codeSet.withPrefix(e.slice(0, -1).replace('.', '')).length === 0
            : !official().codeSet.get(e.replace('.', '')),
        );
      assert.deepEqual(missing, [], 'expected codes that are not in FY2026');
    });

    test('"penicillin allergy" finds Z88.0 in the top 3; "med noncompliance" a Z91.1x code in the top 3', () => {
      assert.ok(codes('penicillin allergy', 3).includes('Z88.0'), codes('penicillin allergy', 3).join(', '));
      assert.ok(
        codes('med noncompliance', 3).some((c) => c.startsWith('Z91.1')),
        codes('med noncompliance', 3).join(', '),
      );
    });

    test('"Z91.1" finds Z91.1 and the codes below it, and nothing unrelated', () => {
      const found = codes('Z91.1', 50);
      assert.equal(found[0], 'Z91.1');
      assert.ok(found.length > 10);
      assert.deepEqual(
        found.filter((c) => !c.startsWith('Z91.1')),
        [],
      );
      assert.equal(official().index.search('Z91.1', { limit: 5 }).total, found.length);
    });

    test('status codes, history, laterality and abbreviations: the phrasings of the fixture', () => {
      const misses: string[] = [];
      for (const { query, expected, within = 3 } of fixture.phrasings) {
        const found = codes(query);
        const rank = found.findIndex((c) => accepts(expected, c));
        if (rank < 0 || rank >= within)
          misses.push(
            `"${query}" → ${expected.join(' | ')}: ${rank < 0 ? 'not in the top 10' : `rank ${rank + 1}`} (got ${found.slice(0, 3).join(', ')})`,
          );
      }
      const passed = fixture.phrasings.length - misses.length;
      console.log(
        `coding phrasings: ${passed} of ${fixture.phrasings.length} within their rank${misses.map((m) => `\n  miss: ${m}`).join('')}`,
      );
      assert.ok(passed / fixture.phrasings.length >= PASS_THRESHOLD, `${passed}/${fixture.phrasings.length}:\n${misses.join('\n')}`);
    });

    test('"history of" is the patient\'s own history unless the query says family', () => {
      assert.equal(codes('history of stroke')[0], 'Z86.73');
      assert.equal(codes('family history of stroke')[0], 'Z82.3');
    });
  },
);

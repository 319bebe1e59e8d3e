import assert from 'node:assert/strict';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, test } from 'vitest';
import type { GoldProblem } from '../../../../main/drafting/evaluation/code-scores.js';
import { loadAciBench, transcriptOf } from '../../../../bench/drafting-rouge.js';
import { skipWhen } from '../../../helpers/skip.js';

/**
 * The hand-coded gold standard (test/fixtures/gold-codes, README there): every code, preferred or
 * alternate, is a billable FY2026 ICD-10-CM code; every quote is in the encounter's reference note;
 * every placement quote is words of a transcript turn of its encounter.
 */
const root = resolve(import.meta.dirname, '..', '..', '..', '..');
const goldDir = join(root, 'test', 'fixtures', 'gold-codes');
const codesFile = resolve(root, '..', 'shared', 'terminology', 'icd10cm', 'icd10cm_codes_2026.txt');
const aciDir = resolve(root, '..', 'shared', 'corpora', 'aci-bench');

const goldFiles = readdirSync(goldDir).filter((f) => f.endsWith('.json'));
const gold = (file: string) =>
  (JSON.parse(readFileSync(join(goldDir, file), 'utf8')) as { encounters: Record<string, GoldProblem[]> }).encounters;
const normal = (text: string) => text.replace(/\s+/g, ' ').toLowerCase();

test('each gold problem has a kind, a preferred code, alternates that differ from it, and the note’s words', () => {
  assert.ok(goldFiles.includes('aci-bench-valid.json'));
  for (const file of goldFiles) {
    for (const [encounter, problems] of Object.entries(gold(file))) {
      assert.ok(problems.length > 0, `${file} ${encounter}`);
      for (const p of problems) {
        assert.ok(['assessment', 'status', 'documented'].includes(p.kind), `${encounter} ${p.problem}`);
        assert.match(p.code, /^[A-Z][0-9A-Z]{2}(\.[0-9A-Z]{1,4})?$/);
        assert.ok(!p.alternates.includes(p.code), `${encounter} ${p.problem}`);
        assert.ok(p.evidence.length > 0 && p.evidence.every((q) => q.length > 0 && q.length <= 120), `${encounter} ${p.problem}`);
      }
    }
  }
});

describe(
  'gold codes against the FY2026 code set',
  skipWhen(existsSync(codesFile) ? false : `the FY2026 codes file is not at ${codesFile}`),
  () => {
    test('every preferred and alternate code is a billable FY2026 ICD-10-CM code', () => {
      const billable = new Set(
        readFileSync(codesFile, 'utf8')
          .split('\n')
          .map((l) => l.slice(0, 8).trim()),
      );
      const wrong: string[] = [];
      for (const file of goldFiles)
        for (const [encounter, problems] of Object.entries(gold(file)))
          for (const p of problems)
            for (const c of [p.code, ...p.alternates]) if (!billable.has(c.replace('.', ''))) wrong.push(`${file} ${encounter} ${c}`);
      assert.deepEqual(wrong, []);
    });
  },
);

describe('gold quotes against ACI-Bench', skipWhen(existsSync(join(aciDir, 'data')) ? false : `ACI-Bench is not at ${aciDir}`), () => {
  test('every evidence quote is in its encounter’s reference note', () => {
    const notes = new Map([...loadAciBench('train', aciDir)!, ...loadAciBench('valid', aciDir)!].map((e) => [e.file, normal(e.note)]));
    for (const file of goldFiles.filter((f) => f.startsWith('aci-bench'))) {
      for (const [encounter, problems] of Object.entries(gold(file))) {
        const note = notes.get(encounter);
        assert.ok(note, `${file}: no encounter ${encounter}`);
        for (const p of problems) for (const q of p.evidence) assert.ok(note.includes(normal(q)), `${encounter}: "${q}" not in the note`);
      }
    }
  });

  test('every section-placement quote is words of one of its encounter’s transcript turns', () => {
    const labels = JSON.parse(readFileSync(join(root, 'test', 'fixtures', 'gold-sections', 'aci-bench-valid.json'), 'utf8')) as {
      encounters: Record<string, { quote: string; section: string }[]>;
    };
    const visits = new Map(loadAciBench('valid', aciDir)!.map((e) => [e.file, transcriptOf(e.dialogue)]));
    let count = 0;
    for (const [encounter, quotes] of Object.entries(labels.encounters)) {
      for (const { quote } of quotes) {
        count += 1;
        assert.ok(
          visits.get(encounter)?.some((s) => s.text.includes(quote)),
          `${encounter}: "${quote}"`,
        );
      }
    }
    assert.ok(count >= 25);
  });
});

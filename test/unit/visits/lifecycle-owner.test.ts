/**
 * Issue 12: the lifecycle (main/visits/lifecycle.ts) is the only code that changes a visit's state.
 * Every file under main/ is scanned for the ways to write the state column other than through it:
 * SQL that writes visits' state, the raw state column, the old repository setters, and the
 * temporary lifecycle-checked legacy repository outside the composition root.
 */
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, test } from 'vitest';

interface Rule {
  readonly what: string;
  readonly pattern: RegExp;
  /** The files that own this write (paths from the repository root). */
  readonly owners: readonly string[];
  /** A line that must be caught, so the rule is known to bite. */
  readonly sample: string;
}

const RULES: readonly Rule[] = [
  {
    what: 'SQL writing the visits table (its state)',
    pattern: /\bUPDATE\s+visits\s+SET\b[^;]*?\bstate\s*=|\b(?:INSERT|REPLACE)\s+(?:OR\s+\w+\s+)?INTO\s+visits\b/i,
    // The state column's compare-and-set and the insert of a new, not-started visit.
    owners: ['main/store/visit-repository.ts'],
    sample: "db.prepare('UPDATE visits SET updated_at = ?, state = ? WHERE id = ?')",
  },
  {
    what: 'the raw state column',
    pattern: /\b(?:createSqliteVisitStateColumn|VisitStateColumn)\b|\.\s*compareAndSet\s*\(/,
    owners: ['main/store/visit-repository.ts', 'main/visits/lifecycle.ts'],
    sample: 'const column = createSqliteVisitStateColumn(store);',
  },
  {
    what: 'the old setter without a from-state, or a move on the repository instead of the lifecycle',
    pattern: /\b(?:visits|visitRepository|visitStates|repository|repo)\s*\.\s*(?:setState|transition)\s*\(/,
    owners: [],
    sample: "deps.visits.setState(job.visitId, 'failed');",
  },
];

const isComment = (line: string) => /^\s*(?:\/\/|\/\*|\*)/.test(line);

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return /\.tsx?$/.test(entry.name) ? [relative(process.cwd(), path).split('\\').join('/')] : [];
  });
}

describe('only the visit lifecycle writes a visit state', () => {
  test('each rule catches its sample', () => {
    for (const rule of RULES) assert.match(rule.sample, rule.pattern, rule.what);
    assert.doesNotMatch(
      "db.prepare('UPDATE visits SET encounter_key = ? WHERE id = ?')",
      RULES[0]!.pattern,
      'other columns are not the state',
    );
    assert.doesNotMatch(
      "lifecycle.transition(visitId, 'draft_ready', 'in_review');",
      RULES[2]!.pattern,
      'a move through the lifecycle is fine',
    );
  });

  test('no file under main/ but the owners writes the state column', () => {
    const files = sourceFiles(join(process.cwd(), 'main'));
    assert.ok(files.includes('main/visits/lifecycle.ts') && files.length > 100, 'the scan sees main/');
    const offences: string[] = [];
    for (const file of files) {
      const lines = readFileSync(file, 'utf8').split('\n');
      for (const rule of RULES) {
        if (rule.owners.includes(file)) continue;
        lines.forEach((line, index) => {
          if (!isComment(line) && rule.pattern.test(line)) offences.push(`${file}:${index + 1}: ${rule.what}: ${line.trim()}`);
        });
      }
    }
    assert.deepEqual(offences, [], 'move a visit with lifecycle.transition(visitId, from, to) from main/visits/lifecycle.ts');
  });
});

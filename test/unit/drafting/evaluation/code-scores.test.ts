import assert from 'node:assert/strict';
import { test } from 'vitest';
import type { GoldProblem } from '../../../../main/drafting/evaluation/code-scores.js';
import { codeFigures, emptyTally, tallyCodes } from '../../../../main/drafting/evaluation/code-scores.js';

const problem = (code: string, alternates: string[] = [], kind: GoldProblem['kind'] = 'assessment'): GoldProblem => ({
  problem: code,
  kind,
  code,
  alternates,
  evidence: [],
});

test('a problem is found by its preferred code or an alternate among the first five; a suggestion is right when it is some problem’s code', () => {
  const gold = [problem('I50.9', ['I11.0']), problem('I10'), problem('Z79.84', [], 'status')];
  // I11.0 finds heart failure (alternate); I10 finds hypertension; Z79.84 is sixth, so not found; R53.83 is wrong.
  const tally = tallyCodes(emptyTally(), gold, ['I11.0', 'R53.83', 'I10', 'E11.9', 'I34.0', 'Z79.84']);
  const figures = codeFigures(tally);
  assert.equal(figures['recallAt5'], Number((2 / 3).toFixed(3)));
  assert.equal(figures['recallAt5AssessmentProblems'], 1);
  assert.equal(figures['precisionAt5'], Number((2 / 5).toFixed(3)));
});

test('codes compare with or without the dot; no suggestions give no precision rather than a made-up one', () => {
  const tally = tallyCodes(emptyTally(), [problem('E11.65')], ['E1165']);
  assert.equal(codeFigures(tally)['recallAt5'], 1);
  assert.equal(codeFigures(tallyCodes(emptyTally(), [problem('I10')], []))['precisionAt5'], null);
});

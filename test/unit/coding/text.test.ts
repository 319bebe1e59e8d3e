import assert from 'node:assert/strict';
import { test } from 'vitest';
import { analyseTitle, queryWords, stem, words } from '../../../main/coding/text.js';

test('light stemming folds plurals and a few clinician spellings, both in titles and queries', () => {
  assert.equal(stem('infections'), 'infection');
  assert.equal(stem('injuries'), 'injury');
  assert.equal(stem('sinusitis'), 'sinusitis');
  assert.equal(stem('diabetes'), stem('diabetic'));
  assert.equal(stem('hypertensive'), stem('hypertension'));
  assert.equal(stem('ii'), '2');
  assert.equal(stem('constructor'), 'constructor');
  assert.equal(stem('3a'), '3a');
});

test('hyphenated words meet their joined spelling; periods in numbers do not end a clause', () => {
  const w = words('Gastro-esophageal reflux, A1c 9.2 (high)');
  assert.deepEqual(
    w.map((x) => x.raw),
    ['gastro', 'esophageal', 'gastroesophageal', 'reflux', 'a1c', '9', '2', 'high'],
  );
  assert.equal(w.find((x) => x.raw === '2')!.clause, w.find((x) => x.raw === 'a1c')!.clause);
  assert.ok(w.find((x) => x.raw === 'high')!.parenthetical);
  assert.deepEqual(queryWords('gastro-esophageal reflux of the esophagus'), ['gastroesophageal', 'reflux', 'esophagus']);
});

test('a title splits into the words that must be stated and the ones it excludes', () => {
  const a = analyseTitle('Type 2 diabetes mellitus with hypoglycemia without coma');
  assert.deepEqual(a.required, ['type', '2', 'diabete', 'mellitus', 'hypoglycemia']);
  assert.deepEqual(a.excluded, ['coma']);
  const b = analyseTitle('Essential (primary) hypertension');
  assert.deepEqual(b.required, ['essential', 'hypertension']);
  assert.ok(b.terms.includes('primary'));
  assert.ok(analyseTitle('Hyperlipidemia, unspecified').general);
  assert.ok(analyseTitle('Hyperlipidemia, unspecified').unspecified);
  assert.ok(analyseTitle('Mild intermittent asthma, uncomplicated').general);
  assert.ok(!analyseTitle('Mild intermittent asthma, uncomplicated').unspecified);
  assert.ok(analyseTitle('Other hyperlipidemia').residual);
});

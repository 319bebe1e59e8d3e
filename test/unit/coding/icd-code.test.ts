import assert from 'node:assert/strict';
import { test } from 'vitest';
import { toCodePrefix, toReleaseCode, withDot } from '../../../main/coding/icd-code.js';
import { IcdCode } from '../../../shared/domain/note.js';

test('codes are read with or without their dot, in any case', () => {
  assert.equal(toReleaseCode('E11.65'), 'E1165');
  assert.equal(toReleaseCode(' e1165 '), 'E1165');
  assert.equal(toReleaseCode('I10'), 'I10');
  assert.equal(toReleaseCode('u07.1'), 'U071');
  for (const bad of ['E1.165', 'E11..6', 'diabetes', 'E11.65432', '11.9', '', 'E11-9']) assert.equal(toReleaseCode(bad), undefined, bad);
});

test('codes leave with their dot after the category', () => {
  assert.equal(withDot('E1165'), 'E11.65');
  assert.equal(withDot('E11'), 'E11');
  assert.equal(withDot('QA00101'), 'QA0.0101');
});

test('the shared IcdCode schema accepts real codes that have letters in unusual places', () => {
  for (const code of ['U07.1', 'U09.9', 'QA0.0101', 'C4A.0', 'M1A.00X0', 'Z3A.01', 'E11.9', 'I10'])
    assert.ok(IcdCode.safeParse(code).success, code);
  for (const bad of ['E119', 'e11.9', 'E11.', 'E11.65432']) assert.ok(!IcdCode.safeParse(bad).success, bad);
});

test('code prefixes: what someone types while looking for a code', () => {
  assert.equal(toCodePrefix('E1'), 'E1');
  assert.equal(toCodePrefix('e11.'), 'E11');
  assert.equal(toCodePrefix('E11.6'), 'E116');
  assert.equal(toCodePrefix('E116'), 'E116');
  assert.equal(toCodePrefix('HTN'), undefined);
  assert.equal(toCodePrefix('diabetes'), undefined);
});

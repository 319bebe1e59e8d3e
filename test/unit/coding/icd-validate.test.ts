import assert from 'node:assert/strict';
import { test } from 'vitest';
import { validateCode, validateCodes } from '../../../main/coding/icd-validate.js';
import { starterEntries, starterInfo } from '../../../main/coding/starter-set.js';
import { loadTerminology } from '../../../main/coding/terminology.js';
import { SENTINEL } from '../../helpers/temp-store.js';

const starter = loadTerminology(starterEntries, starterInfo);
const ranking = { preferred: starter.defaults, common: starter.common };
const validate = (code: string) => validateCode(starter.codeSet, code, ranking);

test('a billable code validates, with its official description and the code set version', () => {
  for (const input of ['E11.9', 'e119', ' E11.9 ']) {
    const r = validate(input);
    assert.equal(r.status, 'billable', input);
    assert.equal(r.billable, true);
    assert.equal(r.code, 'E11.9');
    assert.equal(r.description, 'Type 2 diabetes mellitus without complications');
    assert.equal(r.version, 'starter-fy2026');
  }
});

test('a header is not billable; the message names more specific codes, the usual one first', () => {
  const r = validate('E11');
  assert.equal(r.status, 'header');
  assert.equal(r.billable, false);
  assert.equal(r.description, 'Type 2 diabetes mellitus');
  assert.equal(r.alternatives[0]!.code, 'E11.9');
  assert.match(
    r.message,
    /^E11 is a category header, not billable; choose a more specific code such as E11\.9 \(Type 2 diabetes mellitus without complications\)/,
  );
  assert.match(validate('E11.6').message, /^E11\.6 is a subcategory header/);
  assert.equal(validate('I50').alternatives[0]!.code, 'I50.9');
});

test('an invented code does not exist; the message offers the real code it resembles', () => {
  const r = validate('E11.99');
  assert.equal(r.status, 'unknown');
  assert.equal(r.billable, false);
  assert.match(r.message, /^E11\.99 does not exist in ICD-10-CM starter-fy2026\. Did you mean E11\.9 /);
  assert.equal(validate('Z99.999').status, 'unknown');
});

test('text that is not a code is refused without being echoed', () => {
  const r = validate(SENTINEL.name);
  assert.equal(r.status, 'malformed');
  assert.equal(r.input, undefined);
  assert.ok(!r.message.includes('Zzyzx'));
});

test('validateCodes accepts only existing billable codes, once, with the official description', () => {
  const result = validateCodes(starter.codeSet, ['E11.9', 'e119', 'E11', 'E11.99', 'I10', 'not-a-code']);
  assert.deepEqual(result.accepted, [
    { code: 'E11.9', description: 'Type 2 diabetes mellitus without complications' },
    { code: 'I10', description: 'Essential (primary) hypertension' },
  ]);
  assert.deepEqual(
    result.rejected.map((r) => [r.input, r.status]),
    [
      ['E11', 'header'],
      ['E11.99', 'unknown'],
      ['(not a code)', 'malformed'],
    ],
  );
});

import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { test } from 'vitest';
import { createValueCipher, open, seal } from '../../../main/store/envelope.js';
import { IntegrityError } from '../../../main/store/errors.js';

const key = randomBytes(32);
const where = { table: 'visits', rowId: 'row-1', column: 'patient_context' };

test('round-trips a value and uses a fresh nonce each time', () => {
  const a = seal(key, Buffer.from('hello'), where);
  const b = seal(key, Buffer.from('hello'), where);
  assert.notDeepEqual(a, b);
  assert.equal(open(key, a, where).toString(), 'hello');
});

test('refuses a value opened under another row, column or table', () => {
  const sealed = seal(key, Buffer.from('hello'), where);
  for (const other of [
    { ...where, rowId: 'row-2' },
    { ...where, column: 'patient_ref' },
    { ...where, table: 'notes' },
  ]) {
    assert.throws(() => open(key, sealed, other), IntegrityError);
  }
});

test('refuses any single flipped bit, a truncated value and the wrong key', () => {
  const sealed = seal(key, Buffer.from('a clinical note'), where);
  for (let i = 0; i < sealed.length; i += 1) {
    const copy = Buffer.from(sealed);
    copy[i]! ^= 0x80;
    assert.throws(() => open(key, copy, where), IntegrityError, `byte ${i}`);
  }
  assert.throws(() => open(key, sealed.subarray(0, 20), where), IntegrityError);
  assert.throws(() => open(randomBytes(32), sealed, where), IntegrityError);
});

test('json values round-trip and a bad key length is refused', () => {
  const cipher = createValueCipher(key);
  assert.deepEqual(cipher.openJson(cipher.sealJson({ a: [1, 'b'] }, where), where), { a: [1, 'b'] });
  assert.throws(() => createValueCipher(randomBytes(16)));
});

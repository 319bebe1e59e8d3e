import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { describe, test } from 'vitest';
import { MAX_CONTROL_ID_LENGTH, messageControlId } from '../../../../main/writeback/hl7/control-id.js';
import type { PersonName } from '../../../../main/writeback/hl7/person-name.js';
import { splitPersonName } from '../../../../main/writeback/hl7/person-name.js';
import { formatHl7Date, formatHl7Timestamp, parseHl7Date, parseHl7Timestamp } from '../../../../main/writeback/hl7/timestamp.js';

describe('HL7 timestamps', () => {
  const at = new Date('2026-11-21T14:30:05.250Z');

  test('carry the local wall-clock time with an explicit offset', () => {
    assert.equal(formatHl7Timestamp(at, 0), '20261121143005+0000');
    assert.equal(formatHl7Timestamp(at, -300), '20261121093005-0500');
    assert.equal(formatHl7Timestamp(at, 330), '20261121200005+0530');
    assert.match(formatHl7Timestamp(at), /^\d{14}[+-]\d{4}$/);
  });

  test('name the same instant when read back, in any offset', () => {
    for (const offset of [-720, -300, 0, 60, 345, 840]) {
      assert.equal(parseHl7Timestamp(formatHl7Timestamp(at, offset))?.toISOString(), '2026-11-21T14:30:05.000Z');
    }
    assert.equal(parseHl7Timestamp('20261121093005.25-0500')?.toISOString(), '2026-11-21T14:30:05.250Z');
  });

  test('a time without an offset is not guessed at', () => {
    assert.equal(parseHl7Timestamp('20261121093005'), undefined);
  });

  test('dates of birth are plain dates', () => {
    assert.equal(formatHl7Date('1931-02-28'), '19310228');
    assert.equal(parseHl7Date('19310228'), '1931-02-28');
    assert.throws(() => formatHl7Date('28/02/1931'));
  });
});

describe('MSH-10 from the idempotency key', () => {
  test('is 20 characters of upper-case letters and digits', () => {
    const id = messageControlId(randomUUID());
    assert.equal(id.length, MAX_CONTROL_ID_LENGTH);
    assert.match(id, /^[0-9A-Z]{20}$/);
  });

  test('is the same for the same key on every resend and differs between keys', () => {
    const key = randomUUID();
    assert.equal(messageControlId(key), messageControlId(key));
    const ids = new Set(Array.from({ length: 10_000 }, () => messageControlId(randomUUID())));
    assert.equal(ids.size, 10_000);
  });
});

describe('person names', () => {
  const cases: [string, Partial<Record<keyof PersonName, string>>][] = [
    ['Jane Doe', { family: 'Doe', given: 'Jane', middle: '' }],
    ['Jane Q. Public', { family: 'Public', given: 'Jane', middle: 'Q.' }],
    ['Doe, Jane Quinn', { family: 'Doe', given: 'Jane', middle: 'Quinn' }],
    ['Dr. Robin Clinician-Sandbox', { family: 'Clinician-Sandbox', given: 'Robin', prefix: 'Dr.' }],
    ['Robin Lee, MD', { family: 'Lee', given: 'Robin', degree: 'MD' }],
    ['Dr. Robin Lee MD PhD', { family: 'Lee', given: 'Robin', prefix: 'Dr.', degree: 'MD PhD' }],
    ['Jane Do', { family: 'Do', given: 'Jane', degree: '' }],
    ['Cher', { family: 'Cher', given: '' }],
  ];
  for (const [input, expected] of cases) {
    test(`splits "${input}"`, () => {
      const name = splitPersonName(input);
      for (const [key, value] of Object.entries(expected)) assert.equal((name as Record<string, string> | undefined)?.[key], value, key);
    });
  }
  test('no name gives nothing', () => {
    assert.equal(splitPersonName('   '), undefined);
    assert.equal(splitPersonName(undefined), undefined);
  });
});

import assert from 'node:assert/strict';
import { describe, test } from 'vitest';
import { REDACTED, looksSensitive, redactFields, redactRecord } from '../../../main/log/redact.js';
import { SENTINEL } from '../../helpers/temp-store.js';

const VISIT_ID = '5f0c2a9e-3b7d-4c1e-9a2b-7d6e5f4c3b2a';

describe('redactFields', () => {
  test('keeps what operations need: our ids, channels, codes, states, versions, numbers, booleans', () => {
    assert.deepEqual(
      redactFields({
        visitId: VISIT_ID,
        jobId: VISIT_ID.toUpperCase(),
        channel: 'visit:create',
        transport: 'ipc',
        code: 'ERR_UPDATER_INVALID_SIGNATURE',
        type: 'ScribeError',
        fields: 'patient.birthDate,encounterId',
        state: 'ready_for_signature',
        version: '1.2.3-beta.1',
        ms: 1843,
        attempts: 3,
        created: true,
      }),
      {
        visitId: VISIT_ID,
        jobId: VISIT_ID.toUpperCase(),
        channel: 'visit:create',
        transport: 'ipc',
        code: 'ERR_UPDATER_INVALID_SIGNATURE',
        type: 'ScribeError',
        fields: 'patient.birthDate,encounterId',
        state: 'ready_for_signature',
        version: '1.2.3-beta.1',
        ms: 1843,
        attempts: 3,
        created: true,
      },
    );
  });

  test('patient data under any key is replaced, never passed through', () => {
    const out = redactFields({
      patientName: SENTINEL.name,
      name: SENTINEL.name,
      mrn: SENTINEL.mrn,
      dob: SENTINEL.birthDate,
      patientId: SENTINEL.patientId,
      note: 'Patient reports chest pain radiating to the left arm.',
      detail: `failed for ${SENTINEL.name}`,
      state: SENTINEL.name,
      reason: SENTINEL.mrn,
      code: SENTINEL.name,
      visitId: SENTINEL.mrn,
      encounterId: VISIT_ID,
      channel: `visit:get ${SENTINEL.mrn}`,
      count: 2,
      mrnNumber: 7734123,
    });
    for (const [key, value] of Object.entries(out)) {
      if (key === 'count') continue;
      assert.equal(value, REDACTED, key);
    }
    assert.equal(out['count'], 2);
    assert.ok(!JSON.stringify(out).includes(SENTINEL.name.split(' ')[0] ?? 'x'));
  });

  test('malformed keys are dropped and counted; undefined fields are left out; non-finite numbers become null', () => {
    assert.deepEqual(redactFields({ [SENTINEL.name]: 1, 'a b': 'x', at: 'now', ok: undefined, ms: Number.NaN }), {
      ms: null,
      droppedKeys: 3,
    });
  });

  test('the second line of defence catches what an allowed key should never carry', () => {
    assert.equal(redactFields({ state: 'mrn77341234' })['state'], REDACTED);
    assert.equal(redactFields({ reason: 'born-1931-02-28' })['reason'], REDACTED);
    assert.equal(redactFields({ reason: 'ok' })['reason'], 'ok');
  });
});

describe('looksSensitive', () => {
  test('digit runs, dates, e-mail, phone and social security numbers', () => {
    for (const value of [
      '77341',
      'MRN 0012345678',
      '1931-02-28',
      '02/28/1931',
      '28.02.1931',
      'jane@example.org',
      '(555) 123-4567',
      '555-123-4567',
      '123-45-6789',
    ]) {
      assert.equal(looksSensitive(value), true, value);
    }
  });
  test('our UUIDs, versions and words are fine even with digits in them', () => {
    for (const value of [VISIT_ID, '123e4567-e89b-12d3-a456-426614174000', '1.2.3', 'visit:create', 'http_503', 'v2']) {
      assert.equal(looksSensitive(value), false, value);
    }
  });
});

test('redactRecord re-checks a whole line read back from a file', () => {
  assert.deepEqual(redactRecord({ at: '2026-11-21T09:30:00.000Z', level: 'info', event: 'api.call', channel: 'visit:list', ms: 3 }), {
    at: '2026-11-21T09:30:00.000Z',
    level: 'info',
    event: 'api.call',
    channel: 'visit:list',
    ms: 3,
  });
  assert.deepEqual(
    redactRecord({ at: SENTINEL.birthDate, level: 'debug', event: `patient ${SENTINEL.name}`, message: 'Patient Zzyzx said…' }),
    {
      at: REDACTED,
      level: 'info',
      event: 'invalid_event',
      message: REDACTED,
    },
  );
});

import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import BetterSqlite3 from 'better-sqlite3';
import { test } from 'vitest';
import type { HandlerTable } from '../../../main/api/dispatch.js';
import { createDispatcher } from '../../../main/api/dispatch.js';
import { visitNotFound } from '../../../main/store/errors.js';
import { createJsonLineLogger } from '../../../main/log/logger.js';
import { SENTINEL } from '../../helpers/temp-store.js';

const ctx = { transport: 'web', actor: { id: 'dr-x', role: 'clinician' } } as const;

function setup(overrides: Partial<HandlerTable>) {
  const sink = new PassThrough();
  let logged = '';
  sink.on('data', (chunk: Buffer) => (logged += chunk.toString()));
  const unused = () => {
    throw new Error('not used in this test');
  };
  const handlers = {
    'app:info': unused,
    'visit:create': unused,
    'visit:list': unused,
    'visit:get': unused,
    'audit:verify': unused,
    ...overrides,
  } as HandlerTable;
  return { dispatch: createDispatcher(handlers, createJsonLineLogger(sink)), logs: () => logged };
}

test('an unexpected error becomes a generic internal error; its text reaches neither caller nor log', async () => {
  const { dispatch, logs } = setup({
    'visit:list': () => {
      throw new Error(`failed for ${SENTINEL.name} ${SENTINEL.mrn}`);
    },
  });
  const result = await dispatch('visit:list', {}, ctx);
  assert.equal(result.ok, false);
  assert.ok(!result.ok && result.error.code === 'internal');
  const everything = JSON.stringify(result) + logs();
  assert.ok(!everything.includes(SENTINEL.name) && !everything.includes(SENTINEL.mrn), everything);
  assert.match(logs(), /"event":"api.error","channel":"visit:list","transport":"web","code":"internal","type":"Error"/);
});

test('an invalid request names the fields but never echoes their values', async () => {
  const { dispatch, logs } = setup({});
  const result = await dispatch('visit:create', { patientId: SENTINEL.patientId, patient: { birthDate: SENTINEL.name } }, ctx);
  assert.deepEqual(result, {
    ok: false,
    error: { code: 'bad_request', message: 'Invalid request: check patient.birthDate.', fields: ['patient.birthDate'] },
  });
  assert.ok(!logs().includes(SENTINEL.name) && !logs().includes(SENTINEL.patientId));
});

test('typed errors keep their code, reason and safe message; unknown channels and non-object requests are refused', async () => {
  const { dispatch } = setup({
    'visit:get': () => {
      throw visitNotFound();
    },
  });
  assert.deepEqual(await dispatch('visit:get', { id: '00000000-0000-4000-8000-000000000000' }, ctx), {
    ok: false,
    error: { code: 'not_found', reason: 'visit.not_found', message: 'The visit was not found.' },
  });
  assert.equal(((await dispatch('toString', {}, ctx)) as { error: { code: string } }).error.code, 'unknown_channel');
  assert.equal(((await dispatch('__proto__', {}, ctx)) as { error: { code: string } }).error.code, 'unknown_channel');
  assert.equal(((await dispatch('visit:list', 'not an object', ctx)) as { error: { code: string } }).error.code, 'bad_request');
});

test('a handler answering outside the contract is an internal error, not a malformed response', async () => {
  const { dispatch } = setup({ 'visit:list': () => ({ visits: [{ id: 'nope' }] }) as never });
  const result = await dispatch('visit:list', {}, ctx);
  assert.ok(!result.ok && result.error.code === 'internal');
});

test('a damaged store file is reported as damaged, never as "nothing you entered was lost"', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'scribe-damaged-'));
  try {
    const file = join(dir, 'scribe.db');
    writeFileSync(file, Buffer.alloc(8192, 0x5a));
    const { dispatch } = setup({
      'visit:list': () => {
        const db = new BetterSqlite3(file);
        try {
          return { visits: db.prepare('SELECT * FROM visits').all() as never };
        } finally {
          db.close();
        }
      },
    });
    const result = await dispatch('visit:list', {}, ctx);
    assert.equal(result.ok, false);
    if (result.ok) return;
    assert.equal(result.error.code, 'integrity');
    assert.equal(result.error.reason, 'store.file_damaged');
    assert.equal(result.error.details?.['sqlite'], 'SQLITE_NOTADB');
    assert.ok(!/nothing you entered was lost/i.test(result.error.message));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

import assert from 'node:assert/strict';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, test } from 'vitest';
import BetterSqlite3 from 'better-sqlite3';
import { runCli } from '../../../main/cli/program.js';
import { openScribe } from '../../../main/compose.js';
import type { Scribe } from '../../../main/compose.js';
import { DATABASE_FILE } from '../../../main/store/store.js';
import type { VisitSummary } from '../../../shared/api/contract.js';
import type { Visit } from '../../../shared/domain/visit.js';
import { createPassphraseKeyProvider } from '../../../main/store/passphrase-key-provider.js';
import { FAST_SCRYPT, SENTINEL, tempDir } from '../../helpers/temp-store.js';

const actor = { id: 'dr-damaged', role: 'clinician' } as const;
const ctx = { transport: 'cli', actor } as const;
const PASSPHRASE = 'damaged visit list passphrase';

describe('one damaged visit row in the list', () => {
  const tmp = tempDir('scribe-damaged-visit-');
  let scribe: Scribe;
  const created: Visit[] = [];

  beforeAll(async () => {
    scribe = openScribe({
      dataDir: tmp.dir,
      keyProvider: createPassphraseKeyProvider(PASSPHRASE, FAST_SCRYPT),
      mode: 'create',
      actorId: actor.id,
    });
    for (const n of [1, 2, 3]) {
      const result = await scribe.dispatch(
        'visit:create',
        { patientId: `${SENTINEL.patientId}-${n}`, patient: { displayName: `${SENTINEL.name} ${n}`, mrn: `${SENTINEL.mrn}-${n}` } },
        ctx,
      );
      assert.ok(result.ok);
      created.push(result.value as Visit);
    }
    scribe.close();
    // One byte of the middle visit's sealed patient context flipped on disk, as a bad sector or an edit would.
    const db = new BetterSqlite3(join(tmp.dir, DATABASE_FILE));
    const { patient_context: sealed } = db.prepare('SELECT patient_context FROM visits WHERE id = ?').get(created[1]!.id) as {
      patient_context: Buffer;
    };
    sealed[sealed.length - 1]! ^= 0x01;
    db.prepare('UPDATE visits SET patient_context = ? WHERE id = ?').run(sealed, created[1]!.id);
    db.close();
    scribe = openScribe({
      dataDir: tmp.dir,
      keyProvider: createPassphraseKeyProvider(PASSPHRASE, FAST_SCRYPT),
      mode: 'open',
      actorId: actor.id,
    });
  });
  afterAll(() => {
    scribe.close();
    tmp.cleanup();
  });

  test('the API lists the others in full and the damaged one by id and state only', async () => {
    const result = await scribe.dispatch('visit:list', {}, ctx);
    assert.ok(result.ok, result.ok ? '' : result.error.message);
    const visits = (result.value as { visits: VisitSummary[] }).visits;
    assert.equal(visits.length, 3);
    const byId = new Map(visits.map((v) => [v.id, v]));
    assert.deepEqual(byId.get(created[1]!.id), {
      id: created[1]!.id,
      state: 'not_started',
      createdAt: created[1]!.createdAt,
      updatedAt: created[1]!.updatedAt,
      damaged: true,
    });
    for (const i of [0, 2]) {
      const visit = byId.get(created[i]!.id);
      assert.equal(visit?.damaged, undefined);
      assert.equal(visit?.patientName, `${SENTINEL.name} ${i + 1}`);
      assert.equal(visit?.patientId, `${SENTINEL.patientId}-${i + 1}`);
    }
    // Opening the damaged visit itself still says what is wrong.
    const opened = await scribe.dispatch('visit:get', { id: created[1]!.id }, ctx);
    assert.ok(!opened.ok && opened.error.reason === 'store.integrity_failed');
  });

  test('scribe visit list prints every visit, the damaged one marked plainly', async () => {
    const out: string[] = [];
    const err: string[] = [];
    const code = await runCli(['visit', 'list'], {
      io: { out: (t) => out.push(t), err: (t) => err.push(t) },
      env: { SCRIBE_DATA_DIR: tmp.dir, SCRIBE_PASSPHRASE: PASSPHRASE, SCRIBE_USER: actor.id },
      untilStopped: () => Promise.resolve(),
    });
    assert.equal(code, 0, err.join('\n'));
    const lines = out.join('\n').split('\n');
    assert.equal(lines.length, 3);
    const damaged = lines.find((l) => l.includes(created[1]!.id));
    assert.match(damaged!, /not_started +This visit's record is damaged \(ask IT to restore the store from its backup\)/);
    assert.ok(!damaged!.includes('undefined'));
    for (const i of [0, 2]) assert.ok(lines.some((l) => l.includes(`${SENTINEL.name} ${i + 1}`) && l.includes(created[i]!.id)));
  });
});

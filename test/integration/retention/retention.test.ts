import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { afterEach, beforeEach, describe, test } from 'vitest';
import type { Scribe } from '../../../main/compose.js';
import { DATABASE_FILE } from '../../../main/store/store.js';
import type { ApiError } from '../../../shared/api/errors.js';
import type { Visit } from '../../../shared/domain/visit.js';
import {
  RECORDED_FRAMES as FRAMES,
  foundIn,
  openDeliveringScribe,
  pcmRuns as runsOf,
  recordedVisit as record,
  storeFiles,
} from '../../helpers/recorded-visit.js';
import { SENTINEL, tempDir } from '../../helpers/temp-store.js';

const clinician = { transport: 'cli', actor: { id: 'dr-retention', role: 'clinician' } } as const;
const scribeUser = { transport: 'cli', actor: { id: 'scribe-1', role: 'scribe' } } as const;
const admin = { transport: 'cli', actor: { id: 'it-admin', role: 'admin' } } as const;
type Ctx = typeof clinician | typeof scribeUser | typeof admin;

const DAY = 86_400_000;

/**
 * Audio is only ever stored sealed, so the scan for PCM runs guards against a plaintext copy; the
 * scan for runs of the sealed chunks is the one that shows whether deleted pages left the files.
 */
describe('audio retention and visit erasure', () => {
  let tmp: ReturnType<typeof tempDir>;
  let now: number;
  let scribe: Scribe;
  let visits = 0;
  /** Visits whose delivery the EHR refuses for good (their notes stay signed, not delivered). */
  const refused = new Set<string>();

  const recordedVisit = (until: 'recorded' | 'signed' | 'delivered') => record(scribe, ++visits, until, (id) => refused.add(id));

  async function call<T>(channel: string, request: unknown, ctx: Ctx = clinician): Promise<T> {
    const result = await scribe.dispatch(channel, request, ctx);
    if (!result.ok) throw Object.assign(new Error(`${channel}: ${result.error.message}`), { apiError: result.error });
    return result.value as T;
  }
  async function fail(channel: string, request: unknown, ctx: Ctx = clinician): Promise<ApiError> {
    const result = await scribe.dispatch(channel, request, ctx);
    assert.ok(!result.ok, `${channel} should have been refused`);
    return result.error;
  }

  const playback = (visitId: string) => call<{ pcm: string; totalMs: number }>('audio:range', { visitId, fromMs: 0, toMs: FRAMES * 100 });

  /** Reads the raw database with its own connection (closed at once, so it never holds up a checkpoint). */
  function raw<T>(fn: (db: BetterSqlite3.Database) => T): T {
    const db = new BetterSqlite3(join(tmp.dir, DATABASE_FILE), { readonly: true });
    try {
      return fn(db);
    } finally {
      db.close();
    }
  }
  const rows = (table: string, visitId: string, column = 'visit_id') =>
    raw((db) => (db.prepare(`SELECT COUNT(*) AS n FROM ${table} WHERE ${column} = ?`).get(visitId) as { n: number }).n);
  const ciphertexts = (visitId: string) =>
    raw((db) =>
      (db.prepare('SELECT pcm FROM audio_chunks WHERE visit_id = ? ORDER BY seq').all(visitId) as { pcm: Buffer }[]).map((r) => r.pcm),
    );
  const files = () => storeFiles(tmp.dir);
  const auditOf = (action: string) => [...scribe.audit.entries()].filter((e) => e.action === action);

  beforeEach(() => {
    tmp = tempDir('scribe-retention-');
    now = Date.parse('2026-11-02T09:00:00Z');
    refused.clear();
    scribe = openDeliveringScribe(tmp.dir, 'retention test passphrase', { now: () => new Date(now) }, refused);
  });
  afterEach(() => {
    scribe.close();
    tmp.cleanup();
  });

  test('a delivered visit loses its audio once the period has passed, by key destruction; undelivered visits keep theirs', async () => {
    const delivered = await recordedVisit('delivered');
    const signedOnly = await recordedVisit('signed');
    const unsigned = await recordedVisit('recorded');
    assert.equal(scribe.policy.retentionDays(), 7);
    assert.equal(rows('audio_keys', delivered.visit.id), 1, 'each recording has its own key');
    const sealed = ciphertexts(delivered.visit.id);
    // The stored chunks are the AES-GCM bodies; 32 bytes from the middle of each must not survive anywhere.
    const sealedRuns = sealed.map((c) => c.subarray(200, 232));
    assert.equal(foundIn(files(), sealedRuns), sealed.length, 'the scan finds the chunks while they exist');
    // The new stored field: the visit's audio key is on disk only sealed; no PHI sits beside it in plain.
    const wrapped = raw(
      (db) => db.prepare('SELECT wrapped FROM audio_keys WHERE visit_id = ?').get(delivered.visit.id) as { wrapped: Buffer },
    );
    const audioKey = scribe.store.cipher.open(wrapped.wrapped, { table: 'audio_keys', rowId: delivered.visit.id, column: 'wrapped' });
    assert.equal(audioKey.length, 32);
    assert.equal(foundIn(files(), [audioKey, Buffer.from(SENTINEL.name), Buffer.from(SENTINEL.mrn)]), 0, 'no key or PHI in plain on disk');
    assert.equal(foundIn(files(), runsOf(delivered.frames)), 0, 'audio is never on disk in plain, before or after');

    now += 7 * DAY - 60_000;
    const early = await scribe.retention.run({ dryRun: false });
    assert.deepEqual(early.visits, [], 'a minute before the period ends nothing goes');

    now += 2 * 60_000;
    const report = await scribe.retention.run({ dryRun: false });
    assert.deepEqual(
      report.visits.map((v) => [v.visitId, v.chunks]),
      [[delivered.visit.id, FRAMES]],
    );
    assert.equal(report.fileScrubbed, true);

    // Unreadable: key gone, chunks and track gone, playback has nothing.
    assert.deepEqual(
      ['audio_keys', 'audio_chunks', 'audio_tracks', 'speech_segments'].map((t) => rows(t, delivered.visit.id)),
      [0, 0, 0, 0],
    );
    assert.equal((await fail('audio:range', { visitId: delivered.visit.id, fromMs: 0, toMs: 600 })).reason, 'capture.audio_not_found');
    // Nothing of it on disk: neither its PCM nor its sealed chunks, in scribe.db or scribe.db-wal.
    const disk = files();
    assert.equal(foundIn(disk, runsOf(delivered.frames)), 0, 'no PCM run of the purged audio');
    assert.equal(foundIn(disk, sealedRuns), 0, 'no byte run of its sealed chunks either (secure_delete + checkpoint)');
    assert.equal(existsSync(join(tmp.dir, `${DATABASE_FILE}-wal`)) ? readFileSync(join(tmp.dir, `${DATABASE_FILE}-wal`)).length : 0, 0);

    // The note, its delivery and the visit stay; only the audio went.
    assert.equal((await call<Visit>('visit:get', { id: delivered.visit.id })).state, 'delivered');
    assert.equal(rows('notes', delivered.visit.id), 1);

    // The others play back exactly what was recorded.
    for (const kept of [signedOnly, unsigned]) {
      assert.equal(rows('audio_keys', kept.visit.id), 1);
      assert.ok(Buffer.from((await playback(kept.visit.id)).pcm, 'base64').equals(Buffer.concat(kept.frames)));
    }

    // Audited: one purge of the delivered visit by the retention run, nothing for the others, no PHI, chain intact.
    const purges = auditOf('audio.purged');
    assert.deepEqual(
      purges.map((e) => [e.actor, e.objectType, e.objectId]),
      [['system:retention', 'visit', delivered.visit.id]],
    );
    assert.ok(!JSON.stringify([...scribe.audit.entries()]).includes(SENTINEL.name));
    assert.equal(scribe.audit.verify().ok, true);

    // Later runs find nothing more, even long after.
    now += 365 * DAY;
    assert.deepEqual((await scribe.retention.run({ dryRun: false })).visits, []);
    assert.equal(auditOf('audio.purged').length, 1);
  });

  test('a dry run lists what would go and changes nothing', async () => {
    const delivered = await recordedVisit('delivered');
    now += 8 * DAY;
    const before = { entries: [...scribe.audit.entries()].length, files: files().map((b) => b.length) };
    const report = await scribe.retention.run({ dryRun: true });
    assert.equal(report.dryRun, true);
    assert.deepEqual(
      report.visits.map((v) => v.visitId),
      [delivered.visit.id],
    );
    assert.equal(report.visits[0]?.chunks, undefined);
    assert.equal(report.fileScrubbed, null);
    assert.equal([...scribe.audit.entries()].length, before.entries, 'nothing audited');
    assert.deepEqual([rows('audio_keys', delivered.visit.id), rows('audio_chunks', delivered.visit.id)], [1, FRAMES]);
    assert.ok(Buffer.from((await playback(delivered.visit.id)).pcm, 'base64').equals(Buffer.concat(delivered.frames)));
  });

  test('an addendum signed after delivery keeps the audio until the EHR has it too, then counts from then', async () => {
    const delivered = await recordedVisit('delivered');
    now += 5 * DAY;
    refused.add(delivered.visit.id);
    const addendum = await call<{ revision: number }>('note:addendum', {
      visitId: delivered.visit.id,
      text: 'Correction: left ear, not right.',
    });
    await call('visit:signAddendum', { visitId: delivered.visit.id, revision: addendum.revision });
    await call('outbox:run', {});
    now += 30 * DAY;
    assert.deepEqual((await scribe.retention.run({ dryRun: false })).visits, [], 'the addendum never reached the EHR');
    assert.equal(rows('audio_chunks', delivered.visit.id), FRAMES);
  });

  test('a checkpoint another connection holds up is finished by the next run', async () => {
    const delivered = await recordedVisit('delivered');
    const sealedRuns = ciphertexts(delivered.visit.id).map((c) => c.subarray(100, 132));
    now += 8 * DAY;
    const reader = new BetterSqlite3(join(tmp.dir, DATABASE_FILE), { readonly: true });
    try {
      reader.exec('BEGIN');
      reader.prepare('SELECT COUNT(*) FROM visits').get();
      const report = await scribe.retention.run({ dryRun: false });
      assert.equal(report.visits.length, 1);
      assert.equal(report.fileScrubbed, false, 'the reader keeps the old pages in scribe.db');
      assert.equal(rows('audio_keys', delivered.visit.id), 0, 'the key is destroyed anyway');
      reader.exec('COMMIT');
    } finally {
      reader.close();
    }
    const next = await scribe.retention.run({ dryRun: false });
    assert.deepEqual([next.visits, next.fileScrubbed], [[], true]);
    assert.equal(foundIn(files(), sealedRuns), 0);
  });

  test('audio stored before per-visit keys stays readable and goes the same way', async () => {
    const delivered = await recordedVisit('delivered');
    // As a store from before migration 010 holds it: chunks sealed with the data key, no audio key.
    const { db, cipher } = scribe.store;
    db.transaction(() => {
      for (const [seq, pcm] of delivered.frames.entries()) {
        const sealedPcm = cipher.seal(pcm, { table: 'audio_chunks', rowId: `${delivered.visit.id}/${seq}`, column: 'pcm' });
        db.prepare("UPDATE audio_chunks SET pcm = ?, sealed_by = 'data-key' WHERE visit_id = ? AND seq = ?").run(
          sealedPcm,
          delivered.visit.id,
          seq,
        );
      }
      db.prepare('DELETE FROM audio_keys WHERE visit_id = ?').run(delivered.visit.id);
    })();
    assert.ok(Buffer.from((await playback(delivered.visit.id)).pcm, 'base64').equals(Buffer.concat(delivered.frames)));
    now += 8 * DAY;
    assert.deepEqual(
      (await scribe.retention.run({ dryRun: false })).visits.map((v) => v.visitId),
      [delivered.visit.id],
    );
    assert.equal(rows('audio_chunks', delivered.visit.id), 0);
  });

  describe('erasing a visit', () => {
    const allowClinicians = () => call('settings:update', { visitErasureRoles: ['clinician'] }, admin);
    const VISIT_TABLES = [
      'transcript_segments',
      'transcripts',
      'speech_segments',
      'audio_chunks',
      'audio_keys',
      'audio_tracks',
      'visit_consents',
      'note_revisions',
      'notes',
      'attestations',
      'outbox_jobs',
    ];

    test('is off until the policy names a role; only an administrator may name one', async () => {
      const { visit } = await recordedVisit('recorded');
      const off = await fail('visit:erase', { visitId: visit.id });
      assert.deepEqual([off.code, off.reason, off.details], ['forbidden', 'settings.refused', { setting: 'visitErasureRoles' }]);
      const byClinician = await fail('settings:update', { visitErasureRoles: ['clinician'] });
      assert.equal(byClinician.reason, 'settings.erasure_roles_admin_only');
      await allowClinicians();
      assert.equal((await fail('visit:erase', { visitId: visit.id }, scribeUser)).reason, 'settings.refused');
      assert.equal(rows('visits', visit.id, 'id'), 1, 'nothing was erased');
    });

    test('refuses a signed note the EHR has not confirmed, and erases every local row of a delivered visit', async () => {
      await allowClinicians();
      const undelivered = await recordedVisit('signed');
      const refusedErase = await fail('visit:erase', { visitId: undelivered.visit.id });
      assert.deepEqual(
        [refusedErase.code, refusedErase.reason, refusedErase.details],
        ['conflict', 'retention.erase_undelivered', { undelivered: 1 }],
      );
      assert.equal(rows('visits', undelivered.visit.id, 'id'), 1);
      assert.ok(Buffer.from((await playback(undelivered.visit.id)).pcm, 'base64').equals(Buffer.concat(undelivered.frames)));

      const delivered = await recordedVisit('delivered');
      assert.ok(rows('transcript_segments', delivered.visit.id) > 0);
      const sealedRuns = ciphertexts(delivered.visit.id).map((c) => c.subarray(100, 132));
      const erased = await call<{ visitId: string; fileScrubbed: boolean }>('visit:erase', { visitId: delivered.visit.id });
      assert.deepEqual(erased.visitId, delivered.visit.id);
      assert.equal(erased.fileScrubbed, true);
      assert.deepEqual(
        VISIT_TABLES.map((t) => [t, rows(t, delivered.visit.id)]),
        VISIT_TABLES.map((t) => [t, 0]),
      );
      assert.equal(rows('visits', delivered.visit.id, 'id'), 0);
      assert.equal((await fail('visit:get', { id: delivered.visit.id })).code, 'not_found');
      const disk = files();
      assert.equal(foundIn(disk, runsOf(delivered.frames)), 0);
      assert.equal(foundIn(disk, sealedRuns), 0);
      const entry = auditOf('visit.erased');
      assert.deepEqual(
        entry.map((e) => [e.actor, e.objectType, e.objectId]),
        [['dr-retention', 'visit', delivered.visit.id]],
      );
      assert.equal(scribe.audit.verify().ok, true);
      // The undelivered visit is untouched.
      assert.equal(rows('audio_chunks', undelivered.visit.id), FRAMES);
    });

    test('refuses while the visit is being recorded', async () => {
      await allowClinicians();
      const visit = await call<Visit>('visit:create', { patientId: SENTINEL.patientId });
      await call('visit:recordConsent', { visitId: visit.id, method: 'verbal' });
      await call('capture:start', { visitId: visit.id });
      assert.equal((await fail('visit:erase', { visitId: visit.id })).reason, 'retention.erase_while_capturing');
      await call('capture:stop', { visitId: visit.id });
      await call('visit:erase', { visitId: visit.id });
      assert.equal((await fail('visit:erase', { visitId: visit.id })).code, 'not_found');
    });
  });
});

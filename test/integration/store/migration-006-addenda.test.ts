import assert from 'node:assert/strict';
import { randomBytes, randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, test } from 'vitest';
import BetterSqlite3 from 'better-sqlite3';
import { openScribe } from '../../../main/compose.js';
import type { Scribe } from '../../../main/compose.js';
import { createValueCipher } from '../../../main/store/envelope.js';
import { migrations } from '../../../main/store/migrations/index.js';
import { createPassphraseKeyProvider } from '../../../main/store/passphrase-key-provider.js';
import { DATABASE_FILE } from '../../../main/store/store.js';
import type { Deliverer, DeliveryJob, DeliveryReceipt } from '../../../main/writeback/delivery.js';
import type { NoteAddendum } from '../../../shared/domain/addendum.js';
import type { Note } from '../../../shared/domain/note.js';
import type { OutboxJobSummary } from '../../../shared/domain/outbox.js';
import type { Visit } from '../../../shared/domain/visit.js';
import { buildSignedNotePayload } from '../../helpers/signed-note.js';
import { FAST_SCRYPT, SENTINEL, tempDir } from '../../helpers/temp-store.js';

const PASSPHRASE = 'migration 006 passphrase';
const clinician = { transport: 'cli', actor: { id: 'dr-sign', role: 'clinician' } } as const;

/**
 * A database written by schema version 5 (before addenda) holding a signed, delivered note: the
 * upgrade keeps every row, id and key, and every encrypted value still opens where it was.
 */
describe('migration 006 (addenda) upgrades a v5 database', () => {
  const tmp = tempDir('scribe-migration-006-');
  const keyProvider = createPassphraseKeyProvider(PASSPHRASE, FAST_SCRYPT);
  const visitId = randomUUID();
  const jobId = randomUUID();
  const idempotencyKey = randomUUID();
  const signedAt = '2026-11-20T15:00:00.000Z';
  const payload = buildSignedNotePayload({ visitId, signedAt });
  const receipt: DeliveryReceipt = {
    target: 'fhir',
    resources: [
      { type: 'DocumentReference', id: 'doc-v5', versionId: '1' },
      { type: 'Provenance', id: 'prov-v5' },
    ],
  };
  let payloadBlob: Buffer;
  let scribe: Scribe;
  const handed: DeliveryJob[] = [];
  const fhir: Deliverer = {
    target: 'fhir',
    deliver(job) {
      handed.push(job);
      return Promise.resolve({
        kind: 'delivered',
        receipt: { target: 'fhir', resources: [{ type: 'DocumentReference', id: 'doc-addendum' }] },
      });
    },
  };

  beforeAll(() => {
    const db = new BetterSqlite3(join(tmp.dir, DATABASE_FILE));
    db.pragma('journal_mode = WAL');
    db.pragma('foreign_keys = ON');
    const dataKey = randomBytes(32);
    const cipher = createValueCipher(dataKey);
    const at = (table: string, rowId: string, column: string) => ({ table, rowId, column });
    const v5 = migrations.filter((m) => m.version <= 5);
    assert.equal(v5.length, 5);
    db.transaction(() => {
      for (const m of v5) db.exec(m.sql);
      db.pragma('user_version = 5');
      const wrapped = keyProvider.wrap(dataKey);
      db.prepare('INSERT INTO keyring (id, kind, params, wrapped, created_at) VALUES (1, ?, ?, ?, ?)').run(
        wrapped.kind,
        JSON.stringify(wrapped.params),
        wrapped.blob,
        signedAt,
      );
      db.prepare(
        `INSERT INTO visits (id, state, created_at, updated_at, created_by, patient_ref, encounter_ref, patient_context) VALUES (?, 'delivered', ?, ?, 'scribe-1', ?, ?, ?)`,
      ).run(
        visitId,
        signedAt,
        signedAt,
        cipher.seal(Buffer.from(payload.patient.id), at('visits', visitId, 'patient_ref')),
        cipher.seal(Buffer.from(payload.encounterId!), at('visits', visitId, 'encounter_ref')),
        cipher.sealJson({ displayName: SENTINEL.name, mrn: SENTINEL.mrn }, at('visits', visitId, 'patient_context')),
      );
      const note: Note = payload.note;
      db.prepare('INSERT INTO notes (visit_id, revision, body, updated_at, updated_by, signed_revision) VALUES (?, ?, ?, ?, ?, ?)').run(
        visitId,
        note.revision,
        cipher.sealJson(note, at('notes', visitId, 'body')),
        signedAt,
        note.updatedBy,
        note.revision,
      );
      for (const revision of [1, 2]) {
        db.prepare('INSERT INTO note_revisions (visit_id, revision, at, author, kind, body) VALUES (?, ?, ?, ?, ?, ?)').run(
          visitId,
          revision,
          signedAt,
          note.updatedBy,
          revision === 1 ? 'draft' : 'edit',
          cipher.sealJson({ ...note, revision }, at('note_revisions', `${visitId}/${revision}`, 'body')),
        );
      }
      db.prepare('INSERT INTO attestations (visit_id, revision, note_sha256, signed_by, signed_at) VALUES (?, ?, ?, ?, ?)').run(
        visitId,
        note.revision,
        payload.attestation.noteSha256,
        payload.attestation.signedBy,
        signedAt,
      );
      payloadBlob = cipher.sealJson(payload, at('outbox_jobs', jobId, 'payload'));
      db.prepare(
        `INSERT INTO outbox_jobs (id, visit_id, idempotency_key, route, target, state, attempts, next_attempt_at, created_at, updated_at, delivered_at, payload, receipt)
         VALUES (?, ?, ?, 'fhir', 'fhir', 'delivered', 2, ?, ?, ?, ?, ?, ?)`,
      ).run(
        jobId,
        visitId,
        idempotencyKey,
        signedAt,
        signedAt,
        signedAt,
        signedAt,
        payloadBlob,
        cipher.sealJson(receipt, at('outbox_jobs', jobId, 'receipt')),
      );
    })();
    db.close();
    scribe = openScribe({ dataDir: tmp.dir, keyProvider, mode: 'open', writeback: { route: 'fhir', deliverers: { fhir } } });
  });
  afterAll(() => {
    scribe.close();
    tmp.cleanup();
  });

  async function call<T>(channel: string, request: unknown): Promise<T> {
    const result = await scribe.dispatch(channel, request, clinician);
    if (!result.ok) throw Object.assign(new Error(result.error.message), { code: result.error.code });
    return result.value as T;
  }

  test('every row keeps its ids and keys; ciphertext is copied as it was and still opens', async () => {
    assert.ok((scribe.store.db.pragma('user_version', { simple: true }) as number) >= 6);
    const row = scribe.store.db.prepare('SELECT * FROM outbox_jobs').all() as {
      id: string;
      idempotency_key: string;
      attestation_seq: number;
      parent_job_id: string | null;
      payload: Buffer;
    }[];
    assert.equal(row.length, 1);
    assert.equal(row[0]!.id, jobId);
    assert.equal(row[0]!.idempotency_key, idempotencyKey);
    assert.equal(row[0]!.attestation_seq, 0);
    assert.equal(row[0]!.parent_job_id, null);
    assert.deepEqual(row[0]!.payload, payloadBlob, 'the encrypted payload is the same bytes');
    assert.deepEqual(scribe.store.db.prepare('SELECT visit_id, seq, kind, revision, note_sha256 FROM attestations').all(), [
      { visit_id: visitId, seq: 0, kind: 'original', revision: 2, note_sha256: payload.attestation.noteSha256 },
    ]);

    const { jobs } = await call<{ jobs: OutboxJobSummary[] }>('outbox:list', {});
    assert.equal(jobs.length, 1);
    assert.equal(jobs[0]!.state, 'delivered');
    assert.deepEqual(jobs[0]!.receipt, receipt, 'the receipt decrypts');
    const view = await call<{ note: Note; signed: boolean; revisions: { kind: string }[]; addenda: unknown[] }>('note:get', { visitId });
    assert.deepEqual(view.note, payload.note);
    assert.equal(view.signed, true);
    assert.deepEqual(
      view.revisions.map((r) => r.kind),
      ['draft', 'edit'],
    );
    assert.deepEqual(view.addenda, []);
    const visit = await call<Visit>('visit:get', { id: visitId });
    assert.equal(visit.state, 'delivered');
    assert.equal(visit.patient.displayName, SENTINEL.name);
  });

  test('a note signed before the upgrade takes an addendum that follows its delivered job', async () => {
    const draft = await call<NoteAddendum>('note:addendum', { visitId, text: 'Addendum after upgrade.' });
    assert.equal(draft.revision, 3, 'numbered after the note revisions');
    await call('visit:signAddendum', { visitId, revision: draft.revision });
    assert.equal((await call<Visit>('visit:get', { id: visitId })).state, 'signed');
    assert.deepEqual(await scribe.outboxWorker.runOnce(), { delivered: 1, retrying: 0, failed: 0 });
    assert.equal(handed.length, 1, 'only the addendum is sent; the delivered note is not sent again');
    assert.deepEqual(handed[0]!.parent, { jobId, idempotencyKey, target: 'fhir', receipt });
    assert.equal(handed[0]!.payload.addendum?.parentIdempotencyKey, idempotencyKey);
    assert.equal((await call<Visit>('visit:get', { id: visitId })).state, 'delivered');
    assert.equal((await call<{ jobs: OutboxJobSummary[] }>('outbox:list', {})).jobs.length, 2);
  });
});

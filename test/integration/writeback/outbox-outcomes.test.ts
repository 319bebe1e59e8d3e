import assert from 'node:assert/strict';
import { afterAll, beforeAll, describe, test } from 'vitest';
import type { Scribe } from '../../../main/compose.js';
import { openScribe } from '../../../main/compose.js';
import { SANDBOX_PATIENTS, SANDBOX_PRACTITIONERS, sandboxEncounterId } from '../../../main/sandbox/seed.js';
import { createPassphraseKeyProvider } from '../../../main/store/passphrase-key-provider.js';
import { Hl7Deliverer } from '../../../main/writeback/hl7/hl7-deliverer.js';
import type { MllpListener } from '../../../main/writeback/hl7/mllp-listener.js';
import { startMllpListener } from '../../../main/writeback/hl7/mllp-listener.js';
import { SANDBOX_HL7_TARGET } from '../../../main/sandbox/sandbox-mllp.js';
import type { Deliverers } from '../../../main/writeback/router.js';
import type { Note } from '../../../shared/domain/note.js';
import type { OutboxJobSummary } from '../../../shared/domain/outbox.js';
import type { Visit } from '../../../shared/domain/visit.js';
import type { FhirSandboxFixture } from '../../helpers/fhir-sandbox.js';
import { startFhirSandbox } from '../../helpers/fhir-sandbox.js';
import { noteDraft } from '../../helpers/note-draft.js';
import { FAST_SCRYPT, tempDir } from '../../helpers/temp-store.js';

const clinician = { transport: 'cli', actor: { id: SANDBOX_PRACTITIONERS[0]!.id, role: 'clinician' } } as const;

/**
 * What a person sees in the outbox when the EHR misbehaves, through the real targets: each case
 * ends in a clear state and message, and the signed note in the store is untouched.
 */
describe('outbox outcomes against the sandbox EHR', () => {
  let fhir: FhirSandboxFixture;
  let mllp: MllpListener;
  const dirs: ReturnType<typeof tempDir>[] = [];
  beforeAll(async () => {
    fhir = await startFhirSandbox();
    mllp = await startMllpListener({ host: '127.0.0.1', port: 0 });
  });
  afterAll(async () => {
    await fhir.close();
    await mllp.close();
    for (const dir of dirs) dir.cleanup();
  });

  async function signOne(deliverers: Deliverers, route: 'fhir' | 'hl7v2', patientId = SANDBOX_PATIENTS[0]!.id) {
    const tmp = tempDir('scribe-outcomes-');
    dirs.push(tmp);
    const scribe: Scribe = openScribe({
      dataDir: tmp.dir,
      keyProvider: createPassphraseKeyProvider('outcomes passphrase', FAST_SCRYPT),
      mode: 'create',
      writeback: { route, deliverers, backoff: { baseMs: 10, maxMs: 10 } },
    });
    const call = async <T>(channel: string, request: unknown): Promise<T> => {
      const result = await scribe.dispatch(channel, request, clinician);
      if (!result.ok) throw new Error(`${channel}: ${result.error.code}`);
      return result.value as T;
    };
    const visit = await call<Visit>('visit:create', { patientId, encounterId: sandboxEncounterId(0) });
    const note = await call<Note>('note:save', { visitId: visit.id, note: noteDraft(visit.id) });
    await call('visit:sign', { visitId: visit.id, revision: note.revision });
    const noteBefore = JSON.stringify(await call('note:get', { visitId: visit.id }));
    const job = async () => (await call<{ jobs: OutboxJobSummary[] }>('outbox:list', {})).jobs[0]!;
    const noteAfter = async () => JSON.stringify(await call('note:get', { visitId: visit.id }));
    return { scribe, visit, job, noteBefore, noteAfter, call };
  }

  test('an OperationOutcome rejection fails the job with the server’s reason; the note is unchanged', async () => {
    const s = await signOne({ fhir: fhir.deliverer() }, 'fhir', 'patient-the-ehr-does-not-know');
    try {
      await s.scribe.outboxWorker.runOnce();
      const job = await s.job();
      assert.equal(job.state, 'failed');
      assert.equal(job.lastErrorCode, 'rejected');
      assert.match(job.lastError ?? '', /Patient|subject|reference/i, 'the reason says what the EHR refused');
      assert.equal((await s.call<Visit>('visit:get', { id: s.visit.id })).state, 'failed');
      assert.equal(await s.noteAfter(), s.noteBefore);
    } finally {
      s.scribe.close();
    }
  });

  test('an expired token is renewed and the note delivered; a revoked client fails clearly', async () => {
    const s = await signOne({ fhir: fhir.deliverer() }, 'fhir');
    try {
      fhir.sandbox.expireTokens();
      await s.scribe.outboxWorker.runOnce();
      assert.equal((await s.job()).state, 'delivered');
    } finally {
      s.scribe.close();
    }
    const revoked = await signOne({ fhir: fhir.deliverer({ clientId: 'a-client-the-ehr-never-registered' }) }, 'fhir');
    try {
      await revoked.scribe.outboxWorker.runOnce();
      const job = await revoked.job();
      assert.equal(job.state, 'failed');
      assert.equal(job.lastErrorCode, 'auth_rejected');
      assert.ok((job.lastError ?? '').length > 10);
      assert.equal(await revoked.noteAfter(), revoked.noteBefore);
    } finally {
      revoked.scribe.close();
    }
  });

  test('a malformed ACK keeps the job queued for a retry with a clear code; the next good ACK delivers it once', async () => {
    mllp.setFaults({ malformedAck: 1 });
    const hl7 = new Hl7Deliverer({ config: { ...SANDBOX_HL7_TARGET, port: mllp.port, ackTimeoutMs: 2000 } });
    const s = await signOne({ hl7v2: hl7 }, 'hl7v2');
    try {
      await s.scribe.outboxWorker.runOnce();
      const job = await s.job();
      assert.equal(job.state, 'queued');
      assert.equal(job.lastErrorCode, 'malformed_ack');
      assert.equal(await s.noteAfter(), s.noteBefore);
      mllp.setFaults({});
      await new Promise((resolve) => setTimeout(resolve, 50));
      await s.scribe.outboxWorker.runOnce();
      assert.equal((await s.job()).state, 'delivered');
      const stored = mllp.received().filter((m) => m.controlId === (mllp.received()[0]?.controlId ?? ''));
      assert.equal(stored.length, 1, 'the resend with the same MSH-10 stored one document');
    } finally {
      s.scribe.close();
      hl7.close?.();
    }
  });
});

import assert from 'node:assert/strict';
import { afterAll, beforeAll, describe, test } from 'vitest';
import type { Scribe } from '../../../main/compose.js';
import { openScribe } from '../../../main/compose.js';
import type { Sandbox } from '../../../main/sandbox/sandbox.js';
import { startSandbox } from '../../../main/sandbox/sandbox.js';
import { SANDBOX_HL7_TARGET, findMllpListener, sandboxMllpListener } from '../../../main/sandbox/sandbox-mllp.js';
import { SANDBOX_PRACTITIONERS } from '../../../main/sandbox/seed.js';
import { createPassphraseKeyProvider } from '../../../main/store/passphrase-key-provider.js';
import { Hl7Deliverer } from '../../../main/writeback/hl7/hl7-deliverer.js';
import type { Hl7TargetConfigInput } from '../../../main/writeback/hl7/hl7-config.js';
import type { MllpListener } from '../../../main/writeback/hl7/mllp-listener.js';
import type { Note } from '../../../shared/domain/note.js';
import type { OutboxJobSummary } from '../../../shared/domain/outbox.js';
import type { Visit } from '../../../shared/domain/visit.js';
import { noteDraft } from '../../helpers/note-draft.js';
import { buildDeliveryJob, buildSignedNotePayload } from '../../helpers/signed-note.js';
import { FAST_SCRYPT, tempDir } from '../../helpers/temp-store.js';

const clinician = { transport: 'cli', actor: { id: SANDBOX_PRACTITIONERS[0]!.id, role: 'clinician' } } as const;

/** The sandbox's HL7 receiver refuses, as an interface engine does, what its EHR does not hold; the app ends such a job as failed. */
describe('the sandbox MLLP listener refuses unknown patients, providers and document types with AR', () => {
  let sandbox: Sandbox;
  let mllp: MllpListener;
  const dirs: ReturnType<typeof tempDir>[] = [];
  const deliverers: Hl7Deliverer[] = [];
  const deliverer = (config: Partial<Hl7TargetConfigInput> = {}) => {
    const d = new Hl7Deliverer({ config: { ...SANDBOX_HL7_TARGET, port: mllp.port, ackTimeoutMs: 2_000, ...config } });
    deliverers.push(d);
    return d;
  };

  beforeAll(async () => {
    sandbox = await startSandbox({ host: '127.0.0.1', port: 0, usCoreDir: null, extraListeners: [sandboxMllpListener({ port: 0 })] });
    mllp = findMllpListener(sandbox.listeners)!;
  });
  afterAll(async () => {
    for (const d of deliverers) d.close();
    await sandbox.close();
    for (const dir of dirs) dir.cleanup();
  });

  test("a note for a patient the EHR does not know: AR, the job fails with the receiver's reason and is not sent again", async () => {
    const tmp = tempDir('scribe-hl7-refusal-');
    dirs.push(tmp);
    const scribe: Scribe = openScribe({
      dataDir: tmp.dir,
      keyProvider: createPassphraseKeyProvider('hl7 refusal passphrase', FAST_SCRYPT),
      mode: 'create',
      writeback: { route: 'hl7v2', deliverers: { hl7v2: deliverer() }, backoff: { baseMs: 10, maxMs: 10 } },
    });
    const call = async <T>(channel: string, request: unknown): Promise<T> => {
      const result = await scribe.dispatch(channel, request, clinician);
      if (!result.ok) throw new Error(`${channel}: ${result.error.code}`);
      return result.value as T;
    };
    try {
      const visit = await call<Visit>('visit:create', { patientId: 'patient-the-ehr-does-not-know' });
      const note = await call<Note>('note:save', { visitId: visit.id, note: noteDraft(visit.id) });
      await call('visit:sign', { visitId: visit.id, revision: note.revision });
      const before = mllp.stats();

      assert.deepEqual(await scribe.outboxWorker.runOnce(), { delivered: 0, retrying: 0, failed: 1 });
      const job = (await call<{ jobs: OutboxJobSummary[] }>('outbox:list', {})).jobs[0]!;
      assert.equal(job.state, 'failed');
      assert.equal(job.lastErrorCode, 'hl7_ar');
      assert.match(job.lastError ?? '', /rejected the note \(AR\): Unknown patient: no PID-3 identifier matches a patient of this EHR\./);
      assert.equal((await call<Visit>('visit:get', { id: visit.id })).state, 'failed');
      assert.equal(mllp.stats().acks.AR, before.acks.AR + 1);
      assert.equal(mllp.stats().stored, before.stored, 'nothing was filed');

      // A failed job waits for a person: the worker does not send it again.
      assert.deepEqual(await scribe.outboxWorker.runOnce(), { delivered: 0, retrying: 0, failed: 0 });
      assert.equal(mllp.stats().frames, before.frames + 1);
    } finally {
      scribe.close();
    }
  });

  test('a signer the EHR does not know, or a document type it does not file, is refused too; a known one is filed', async () => {
    const unknownSigner = await deliverer().deliver(
      buildDeliveryJob(buildSignedNotePayload({ practitionerId: 'practitioner-not-in-this-ehr' })),
      new AbortController().signal,
    );
    assert.equal(unknownSigner.kind === 'failed' && unknownSigner.code, 'hl7_ar');
    assert.match(unknownSigner.kind === 'failed' ? unknownSigner.reason : '', /Unknown provider in EVN-5/);

    const documentTypes = { soap: 'ZZ', 'history-physical': 'HP', 'follow-up': 'PR', addendum: null };
    const unknownType = await deliverer({ documentTypes }).deliver(buildDeliveryJob(), new AbortController().signal);
    assert.equal(unknownType.kind === 'failed' && unknownType.code, 'hl7_ar');
    assert.match(unknownType.kind === 'failed' ? unknownType.reason : '', /Unknown document type in TXA-2/);

    const known = await deliverer().deliver(buildDeliveryJob(), new AbortController().signal);
    assert.equal(known.kind, 'delivered');
  });
});

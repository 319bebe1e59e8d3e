import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, test } from 'vitest';
import type { DocumentReference, Provenance } from '@medplum/fhirtypes';
import type { Scribe } from '../../../main/compose.js';
import { openScribe } from '../../../main/compose.js';
import { SANDBOX_PATIENTS, SANDBOX_PRACTITIONERS, sandboxEncounterId } from '../../../main/sandbox/seed.js';
import { createPassphraseKeyProvider } from '../../../main/store/passphrase-key-provider.js';
import type { Deliverer, DeliveryJob } from '../../../main/writeback/delivery.js';
import { FileDropDeliverer } from '../../../main/writeback/file-drop/file-drop-deliverer.js';
import { FileDropSidecar } from '../../../main/writeback/file-drop/sidecar.js';
import { messageControlId } from '../../../main/writeback/hl7/control-id.js';
import { Hl7Deliverer } from '../../../main/writeback/hl7/hl7-deliverer.js';
import type { MllpListener } from '../../../main/writeback/hl7/mllp-listener.js';
import { SANDBOX_HL7_TARGET, findMllpListener, sandboxMllpListener } from '../../../main/sandbox/sandbox-mllp.js';
import type { Deliverers } from '../../../main/writeback/router.js';
import type { NoteAddendum } from '../../../shared/domain/addendum.js';
import type { Note } from '../../../shared/domain/note.js';
import type { OutboxJobSummary, OutboxRoute } from '../../../shared/domain/outbox.js';
import type { Visit } from '../../../shared/domain/visit.js';
import type { FhirSandboxFixture } from '../../helpers/fhir-sandbox.js';
import { startFhirSandbox } from '../../helpers/fhir-sandbox.js';
import { noteDraft } from '../../helpers/note-draft.js';
import { FAST_SCRYPT, SENTINEL, tempDir } from '../../helpers/temp-store.js';

const clinician = { transport: 'cli', actor: { id: SANDBOX_PRACTITIONERS[0]!.id, role: 'clinician' } } as const;
const scribeUser = { transport: 'cli', actor: { id: 'scribe-1', role: 'scribe' } } as const;
const NOTE_SYSTEM = 'urn:ambient-scribe:note';
/** Line breaks, HL7 delimiters and non-ASCII text must all arrive byte for byte. */
const ADDENDUM_TEXT = `Addendum: throat culture for ${SENTINEL.name} came back negative.\nStop amoxicillin | continue fluids ^ rest ~ café 🩺.\n\nNo other change.`;

/** A real target that also remembers every job it was handed (to resend one by hand). */
function recording(deliverer: Deliverer): Deliverer & { jobs: DeliveryJob[] } {
  const jobs: DeliveryJob[] = [];
  return {
    target: deliverer.target,
    jobs,
    deliver(job, signal) {
      jobs.push(job);
      return deliverer.deliver(job, signal);
    },
  };
}

/** An original note and then an addendum, delivered through the outbox to the sandbox EHR (FHIR and HL7 v2) and to a drop folder. */
describe('addenda delivered to the sandbox EHR', () => {
  let fhir: FhirSandboxFixture;
  let mllp: MllpListener;
  let hl7: Hl7Deliverer;
  const dirs: ReturnType<typeof tempDir>[] = [];
  let encounter = 0;

  beforeAll(async () => {
    fhir = await startFhirSandbox({ extraListeners: [sandboxMllpListener({ port: 0 })] });
    mllp = findMllpListener(fhir.sandbox.listeners)!;
    hl7 = new Hl7Deliverer({ config: { ...SANDBOX_HL7_TARGET, port: mllp.port, ackTimeoutMs: 2_000 } });
  });
  afterAll(async () => {
    hl7.close();
    await fhir.close();
    for (const dir of dirs) dir.cleanup();
  });

  function openWith(route: OutboxRoute, deliverers: Deliverers, clock?: { now: () => Date }): Scribe {
    const dir = tempDir('scribe-addendum-delivery-');
    dirs.push(dir);
    return openScribe({
      dataDir: dir.dir,
      keyProvider: createPassphraseKeyProvider('addendum delivery passphrase', FAST_SCRYPT),
      mode: 'create',
      ...(clock ? { clock } : {}),
      writeback: { route, deliverers, leaseMs: 60_000 },
    });
  }

  async function call<T>(
    scribe: Scribe,
    channel: string,
    request: unknown,
    ctx: typeof clinician | typeof scribeUser = clinician,
  ): Promise<T> {
    const result = await scribe.dispatch(channel, request, ctx);
    if (!result.ok) throw Object.assign(new Error(result.error.message), { code: result.error.code });
    return result.value as T;
  }

  /** Signs a note, delivers it, then a scribe writes an addendum and the clinician signs it. */
  async function noteThenAddendum(scribe: Scribe): Promise<{ visit: Visit; original: OutboxJobSummary; addendumJobId: string }> {
    const index = encounter++;
    const patient = SANDBOX_PATIENTS[index % SANDBOX_PATIENTS.length]!;
    const visit = await call<Visit>(scribe, 'visit:create', {
      patientId: patient.id,
      encounterId: sandboxEncounterId(index % SANDBOX_PATIENTS.length),
      patient: { displayName: SENTINEL.name },
    });
    const note = await call<Note>(scribe, 'note:save', { visitId: visit.id, note: noteDraft(visit.id) }, scribeUser);
    await call(scribe, 'visit:sign', { visitId: visit.id, revision: note.revision });
    assert.deepEqual(await scribe.outboxWorker.runOnce(), { delivered: 1, retrying: 0, failed: 0 });
    const original = (await call<{ jobs: OutboxJobSummary[] }>(scribe, 'outbox:list', {})).jobs.find((j) => j.visitId === visit.id)!;
    const draft = await call<NoteAddendum>(scribe, 'note:addendum', { visitId: visit.id, text: ADDENDUM_TEXT }, scribeUser);
    await assert.rejects(call(scribe, 'visit:signAddendum', { visitId: visit.id, revision: draft.revision }, scribeUser), {
      code: 'forbidden',
    });
    const { jobId: addendumJobId } = await call<{ jobId: string }>(scribe, 'visit:signAddendum', {
      visitId: visit.id,
      revision: draft.revision,
    });
    return { visit, original, addendumJobId };
  }

  test('FHIR: a new DocumentReference that appends the original, its own identifier and Provenance; a resend makes nothing twice', async () => {
    let now = Date.now();
    const deliverer = recording(fhir.deliverer());
    const scribe = openWith('fhir', { fhir: deliverer }, { now: () => new Date(now) });
    try {
      const { visit, original, addendumJobId } = await noteThenAddendum(scribe);
      const originalDocId =
        original.receipt?.target === 'fhir' ? original.receipt.resources.find((r) => r.type === 'DocumentReference')?.id : undefined;
      assert.ok(originalDocId);

      // The EHR commits the addendum but the answer is lost: the outbox resends with the same key.
      fhir.sandbox.faults.update({ dropAfterCommitRate: 1 });
      assert.deepEqual(await scribe.outboxWorker.runOnce(), { delivered: 0, retrying: 1, failed: 0 });
      fhir.sandbox.faults.reset();
      now += 60 * 60_000;
      assert.deepEqual(await scribe.outboxWorker.runOnce(), { delivered: 1, retrying: 0, failed: 0 });

      const job = deliverer.jobs.find((j) => j.jobId === addendumJobId)!;
      const docs = await fhir.search<DocumentReference>('DocumentReference', `identifier=${NOTE_SYSTEM}|${job.idempotencyKey}`);
      assert.equal(docs.length, 1, 'one addendum document, not two');
      const doc = docs[0]!;
      assert.equal(doc.status, 'current');
      assert.equal(doc.type?.coding?.[0]?.code, '11506-3');
      assert.deepEqual(doc.relatesTo, [{ code: 'appends', target: { reference: `DocumentReference/${originalDocId}` } }]);
      assert.notEqual(doc.id, originalDocId);
      const originalDoc = await fhir.get<DocumentReference>(`DocumentReference/${originalDocId}`);
      assert.notEqual(doc.identifier?.[0]?.value, originalDoc.identifier?.[0]?.value, 'identifiers are distinct');
      assert.equal(Buffer.from(doc.content[0]!.attachment.data!, 'base64').toString('utf8'), ADDENDUM_TEXT, 'the text is exact');
      assert.equal(doc.meta?.security?.some((s) => s.code === 'AIAST') ?? false, false, 'an addendum is not marked AI-asserted');
      assert.equal(doc.author?.[0]?.reference, `Practitioner/${clinician.actor.id}`);

      const provenances = await fhir.search<Provenance>('Provenance', `_tag=urn:ambient-scribe:note-provenance|${job.idempotencyKey}`);
      assert.equal(provenances.length, 1);
      assert.deepEqual(provenances[0]!.target, [{ reference: `DocumentReference/${doc.id}` }]);
      assert.deepEqual(
        provenances[0]!.agent.map((a) => a.who?.reference),
        [`Practitioner/${clinician.actor.id}`],
        'the signing clinician, no software agent',
      );

      const before = {
        docs: fhir.sandbox.repository.count('DocumentReference'),
        conditions: fhir.sandbox.repository.count('Condition'),
        provenance: fhir.sandbox.repository.count('Provenance'),
      };
      const resent = await fhir.deliverer().deliver(job, new AbortController().signal);
      assert.equal(resent.kind, 'delivered');
      assert.deepEqual(
        {
          docs: fhir.sandbox.repository.count('DocumentReference'),
          conditions: fhir.sandbox.repository.count('Condition'),
          provenance: fhir.sandbox.repository.count('Provenance'),
        },
        before,
        'a resend of the addendum creates nothing',
      );
      assert.equal((await call<Visit>(scribe, 'visit:get', { id: visit.id })).state, 'delivered');
      const view = await call<{ addenda: NoteAddendum[] }>(scribe, 'note:get', { visitId: visit.id });
      assert.equal(view.addenda[0]!.state, 'delivered');
      assert.equal(
        fhir.logger.lines.some((l) => l.includes(SENTINEL.name)),
        false,
        'no PHI in the logs',
      );
    } finally {
      scribe.close();
    }
  });

  test('HL7 v2: MDM^T06 with its own TXA-12 and the original TXA-12 as TXA-13; a resend is deduplicated', async () => {
    const deliverer = recording(hl7);
    const scribe = openWith('hl7v2', { hl7v2: deliverer });
    try {
      const { addendumJobId } = await noteThenAddendum(scribe);
      assert.deepEqual(await scribe.outboxWorker.runOnce(), { delivered: 1, retrying: 0, failed: 0 });
      const addendumJob = deliverer.jobs.find((j) => j.jobId === addendumJobId)!;
      const originalJob = deliverer.jobs.find((j) => !j.payload.addendum)!;
      const received = (job: DeliveryJob) => mllp.received().filter((m) => m.controlId === messageControlId(job.idempotencyKey));

      const [originalMessage] = received(originalJob);
      const [addendumMessage] = received(addendumJob);
      assert.ok(originalMessage && addendumMessage);
      assert.equal(originalMessage.document.messageType, 'MDM^T02^MDM_T02');
      assert.equal(addendumMessage.document.messageType, 'MDM^T06^MDM_T02');
      assert.equal(addendumMessage.document.eventType, 'T06');
      assert.equal(addendumMessage.document.document.parentDocumentNumber, originalMessage.document.document.uniqueDocumentNumber);
      assert.notEqual(addendumMessage.document.document.uniqueDocumentNumber, originalMessage.document.document.uniqueDocumentNumber);
      assert.equal(addendumMessage.document.noteText, ADDENDUM_TEXT);
      assert.deepEqual(addendumMessage.document.codes, [], 'an addendum carries no diagnosis codes');

      assert.equal((await hl7.deliver(addendumJob, new AbortController().signal)).kind, 'delivered');
      assert.equal(received(addendumJob).length, 1, 'the receiver stores the addendum once');
    } finally {
      scribe.close();
    }
  });

  test('file drop: the addendum is its own PDF/TXT/JSON set named after the original, naming its parent', async () => {
    const folder = tempDir('scribe-addendum-drop-');
    dirs.push(folder);
    const deliverer = recording(new FileDropDeliverer({ config: { folder: folder.dir } }));
    const scribe = openWith('file-drop', { 'file-drop': deliverer });
    try {
      const { addendumJobId } = await noteThenAddendum(scribe);
      assert.deepEqual(await scribe.outboxWorker.runOnce(), { delivered: 1, retrying: 0, failed: 0 });
      const originalKey = deliverer.jobs.find((j) => !j.payload.addendum)!.idempotencyKey;
      const addendumJob = deliverer.jobs.find((j) => j.jobId === addendumJobId)!;
      const base = `scribe-note-${originalKey}`;
      assert.deepEqual(
        readdirSync(folder.dir)
          .filter((n) => !n.startsWith('.'))
          .sort(),
        [`${base}-addendum-1.json`, `${base}-addendum-1.pdf`, `${base}-addendum-1.txt`, `${base}.json`, `${base}.pdf`, `${base}.txt`],
      );
      assert.equal(readFileSync(join(folder.dir, `${base}-addendum-1.txt`), 'utf8'), ADDENDUM_TEXT);
      const sidecar = FileDropSidecar.parse(JSON.parse(readFileSync(join(folder.dir, `${base}-addendum-1.json`), 'utf8')));
      assert.equal(sidecar.idempotencyKey, addendumJob.idempotencyKey);
      assert.deepEqual(sidecar.addendumTo, { idempotencyKey: originalKey, seq: 1, files: [`${base}.pdf`, `${base}.txt`, `${base}.json`] });
      assert.equal(sidecar.aiAssisted, false);
      assert.deepEqual(sidecar.codes, []);
      const originalSidecar = FileDropSidecar.parse(JSON.parse(readFileSync(join(folder.dir, `${base}.json`), 'utf8')));
      assert.equal(originalSidecar.aiAssisted, true);
      assert.equal(originalSidecar.addendumTo, undefined);
    } finally {
      scribe.close();
    }
  });
});

import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, test } from 'vitest';
import type { Scribe } from '../../../main/compose.js';
import { openScribe } from '../../../main/compose.js';
import { createPassphraseKeyProvider } from '../../../main/store/passphrase-key-provider.js';
import type { Deliverer, DeliveryJob, DeliveryOutcome, DeliveryTarget } from '../../../main/writeback/delivery.js';
import { noteSha256 } from '../../../main/writeback/note-integrity.js';
import type { NoteAddendum } from '../../../shared/domain/addendum.js';
import type { Note } from '../../../shared/domain/note.js';
import type { OutboxJobSummary, OutboxRoute } from '../../../shared/domain/outbox.js';
import type { Visit } from '../../../shared/domain/visit.js';
import { noteDraft } from '../../helpers/note-draft.js';
import { FAST_SCRYPT, SENTINEL, tempDir } from '../../helpers/temp-store.js';

const clinician = {
  transport: 'cli',
  actor: { id: 'dr-sign', role: 'clinician', practitioner: { id: 'dr-sign', vouchedBy: 'ehr-sign-in' } },
} as const;
const scribeUser = { transport: 'cli', actor: { id: 'scribe-1', role: 'scribe' } } as const;
type Ctx = typeof clinician | typeof scribeUser;

function scriptedDeliverer(target: DeliveryTarget, script: (job: DeliveryJob) => DeliveryOutcome): Deliverer & { jobs: DeliveryJob[] } {
  const jobs: DeliveryJob[] = [];
  return {
    target,
    jobs,
    deliver(job) {
      jobs.push(job);
      return Promise.resolve(script(job));
    },
  };
}
const fhirDelivered = (id: string): DeliveryOutcome => ({
  kind: 'delivered',
  receipt: { target: 'fhir', resources: [{ type: 'DocumentReference', id }] },
});
const hl7Delivered: DeliveryOutcome = { kind: 'delivered', receipt: { target: 'hl7v2', ackCode: 'AA', messageControlId: 'X' } };

interface View {
  note: Note;
  signed: boolean;
  revisions: { revision: number; kind: string; author: string }[];
  addenda: NoteAddendum[];
}

describe('addenda after sign-off', () => {
  let tmp: ReturnType<typeof tempDir>;
  let now: number;
  const clock = { now: () => new Date(now) };
  const open = (route: OutboxRoute, deliverers: Partial<Record<DeliveryTarget, Deliverer>>): Scribe =>
    openScribe({
      dataDir: tmp.dir,
      keyProvider: createPassphraseKeyProvider('addendum test passphrase', FAST_SCRYPT),
      mode: 'open-or-create',
      clock,
      writeback: { route, deliverers, leaseMs: 60_000 },
    });

  async function call<T>(scribe: Scribe, channel: string, request: unknown, ctx: Ctx = clinician): Promise<T> {
    const result = await scribe.dispatch(channel, request, ctx);
    if (!result.ok) throw Object.assign(new Error(result.error.message), { code: result.error.code });
    return result.value as T;
  }
  const jobs = async (scribe: Scribe) => (await call<{ jobs: OutboxJobSummary[] }>(scribe, 'outbox:list', {})).jobs;
  const visitState = async (scribe: Scribe, id: string) => (await call<Visit>(scribe, 'visit:get', { id })).state;

  async function signedVisit(scribe: Scribe): Promise<{ visit: Visit; jobId: string; note: Note }> {
    const visit = await call<Visit>(scribe, 'visit:create', {
      patientId: SENTINEL.patientId,
      encounterId: 'enc-1',
      patient: { displayName: SENTINEL.name },
    });
    const note = await call<Note>(scribe, 'note:save', { visitId: visit.id, note: noteDraft(visit.id) }, scribeUser);
    const { jobId } = await call<{ jobId: string }>(scribe, 'visit:sign', { visitId: visit.id, revision: note.revision });
    return { visit, jobId, note };
  }

  beforeEach(() => {
    tmp = tempDir('scribe-addendum-');
    now = Date.parse('2026-11-21T10:00:00Z');
  });
  afterEach(() => tmp.cleanup());

  test('a scribe drafts an addendum, only a clinician signs it; the signed note never changes', async () => {
    const scribe = open('fhir', {});
    try {
      const visit = await call<Visit>(scribe, 'visit:create', { patientId: 'p1' });
      const note = await call<Note>(scribe, 'note:save', { visitId: visit.id, note: noteDraft(visit.id) }, scribeUser);
      await assert.rejects(
        call(scribe, 'note:addendum', { visitId: visit.id, text: 'Too early.' }, scribeUser),
        { code: 'conflict' },
        'no addendum before signing',
      );
      await call(scribe, 'visit:sign', { visitId: visit.id, revision: note.revision });

      const text = `Addendum: ${SENTINEL.name} called back; throat culture negative.\nContinue supportive care.`;
      const draft = await call<NoteAddendum>(scribe, 'note:addendum', { visitId: visit.id, text: 'Addendum: called back.' }, scribeUser);
      assert.equal(draft.seq, 1);
      assert.equal(draft.state, 'draft');
      await assert.rejects(
        call(scribe, 'note:addendum', { visitId: visit.id, text: 'A second start.' }, scribeUser),
        { code: 'conflict' },
        'an open addendum is continued, not forked',
      );
      const edited = await call<NoteAddendum>(
        scribe,
        'note:addendum',
        { visitId: visit.id, baseRevision: draft.revision, text },
        scribeUser,
      );
      assert.equal(edited.seq, 1);
      assert.ok(edited.revision > draft.revision);

      await assert.rejects(call(scribe, 'visit:signAddendum', { visitId: visit.id, revision: edited.revision }, scribeUser), {
        code: 'forbidden',
      });
      await assert.rejects(
        call(scribe, 'visit:signAddendum', { visitId: visit.id, revision: draft.revision }),
        { code: 'conflict' },
        'the signature names the reviewed revision',
      );
      assert.equal((await jobs(scribe)).length, 1, 'nothing queued by refused signatures');

      const signed = await call<{ attestation: { sha256: string; seq: number; signedBy: string }; jobId: string }>(
        scribe,
        'visit:signAddendum',
        {
          visitId: visit.id,
          revision: edited.revision,
        },
      );
      assert.equal(signed.attestation.seq, 1);
      assert.equal(signed.attestation.signedBy, 'dr-sign');
      assert.equal(signed.attestation.sha256, noteSha256(text));
      await assert.rejects(
        call(scribe, 'note:addendum', { visitId: visit.id, baseRevision: edited.revision, text: 'Changed after signing.' }, scribeUser),
        {
          code: 'conflict',
        },
      );

      const view = await call<View>(scribe, 'note:get', { visitId: visit.id });
      assert.deepEqual(view.note, note, 'the signed note is exactly as signed');
      assert.deepEqual(
        view.revisions.map((r) => r.kind),
        ['edit', 'addendum', 'addendum'],
      );
      assert.equal(view.addenda.length, 1);
      assert.equal(view.addenda[0]!.text, text);
      assert.equal(view.addenda[0]!.signedBy, 'dr-sign');
      assert.equal(view.addenda[0]!.state, 'waiting', 'the original is not delivered yet');

      const second = await call<NoteAddendum>(scribe, 'note:addendum', { visitId: visit.id, text: 'Second addendum.' });
      assert.equal(second.seq, 2);
      await assert.rejects(
        call(scribe, 'note:save', { visitId: visit.id, baseRevision: note.revision, note: noteDraft(visit.id, 'Edit') }),
        { code: 'conflict' },
      );
    } finally {
      scribe.close();
    }
  });

  test('an addendum waits for its original: not sent while the original retries or failed, sent right after it is delivered', async () => {
    let originalAnswers: DeliveryOutcome[] = [{ kind: 'retry', code: 'http_503', reason: 'busy' }];
    const fhir = scriptedDeliverer('fhir', (job) =>
      job.payload.addendum ? fhirDelivered('doc-add') : (originalAnswers.shift() ?? fhirDelivered('doc-orig')),
    );
    const scribe = open('fhir', { fhir });
    try {
      const { visit, jobId } = await signedVisit(scribe);
      const draft = await call<NoteAddendum>(scribe, 'note:addendum', { visitId: visit.id, text: 'Culture negative.' });
      const { jobId: addendumJobId } = await call<{ jobId: string }>(scribe, 'visit:signAddendum', {
        visitId: visit.id,
        revision: draft.revision,
      });
      assert.equal(await visitState(scribe, visit.id), 'signed');

      assert.deepEqual(await scribe.outboxWorker.runOnce(), { delivered: 0, retrying: 1, failed: 0 });
      assert.equal(fhir.jobs.filter((j) => j.payload.addendum).length, 0, 'the addendum is not sent before its original');
      let addendumJob = (await jobs(scribe)).find((j) => j.id === addendumJobId)!;
      assert.equal(addendumJob.state, 'queued');
      assert.deepEqual(addendumJob.addendum, { seq: 1, parentJobId: jobId });
      assert.match(addendumJob.waiting ?? '', /original note to be delivered/);

      now += 60 * 60_000;
      originalAnswers = [{ kind: 'failed', code: 'http_422', reason: 'refused' }];
      assert.deepEqual(await scribe.outboxWorker.runOnce(), { delivered: 0, retrying: 0, failed: 1 });
      assert.equal(await visitState(scribe, visit.id), 'failed');
      addendumJob = (await jobs(scribe)).find((j) => j.id === addendumJobId)!;
      assert.match(addendumJob.waiting ?? '', /delivery failed: fix and retry the original/);
      const view = await call<View>(scribe, 'note:get', { visitId: visit.id });
      assert.equal(view.addenda[0]!.state, 'waiting');
      assert.match(view.addenda[0]!.reason ?? '', /failed/);
      now += 60 * 60_000;
      assert.deepEqual(await scribe.outboxWorker.runOnce(), { delivered: 0, retrying: 0, failed: 0 }, 'still nothing sent');

      await call(scribe, 'outbox:retry', { jobId });
      assert.deepEqual(
        await scribe.outboxWorker.runOnce(),
        { delivered: 2, retrying: 0, failed: 0 },
        'original, then its addendum, in one run',
      );
      const sent = fhir.jobs.filter((j) => j.payload.addendum);
      assert.equal(sent.length, 1);
      assert.equal(sent[0]!.parent?.jobId, jobId);
      assert.deepEqual(sent[0]!.parent?.receipt, { target: 'fhir', resources: [{ type: 'DocumentReference', id: 'doc-orig' }] });
      assert.equal(sent[0]!.payload.noteText, 'Culture negative.');
      assert.deepEqual(sent[0]!.payload.codes, []);
      assert.equal(await visitState(scribe, visit.id), 'delivered');
      assert.equal((await call<View>(scribe, 'note:get', { visitId: visit.id })).addenda[0]!.state, 'delivered');
    } finally {
      scribe.close();
    }
  });

  test('a delivered visit goes back to signed while an addendum is on its way', async () => {
    const fhir = scriptedDeliverer('fhir', (job) =>
      job.payload.addendum ? { kind: 'retry', code: 'http_503', reason: 'busy' } : fhirDelivered('doc-orig'),
    );
    const scribe = open('fhir', { fhir });
    try {
      const { visit } = await signedVisit(scribe);
      await scribe.outboxWorker.runOnce();
      assert.equal(await visitState(scribe, visit.id), 'delivered');
      const draft = await call<NoteAddendum>(scribe, 'note:addendum', { visitId: visit.id, text: 'Late result.' });
      assert.equal(await visitState(scribe, visit.id), 'delivered', 'an unsigned addendum changes nothing');
      await call(scribe, 'visit:signAddendum', { visitId: visit.id, revision: draft.revision });
      assert.equal(await visitState(scribe, visit.id), 'signed');
      assert.deepEqual(await scribe.outboxWorker.runOnce(), { delivered: 0, retrying: 1, failed: 0 });
      assert.equal(await visitState(scribe, visit.id), 'signed');
    } finally {
      scribe.close();
    }
  });

  test('fhir-then-hl7v2: the addendum follows the target its original actually reached', async () => {
    const fhir = scriptedDeliverer('fhir', (job) =>
      job.payload.addendum ? fhirDelivered('wrong') : { kind: 'unreachable', code: 'connect_refused', reason: 'down' },
    );
    const hl7 = scriptedDeliverer('hl7v2', () => hl7Delivered);
    const scribe = open('fhir-then-hl7v2', { fhir, hl7v2: hl7 });
    try {
      const { visit } = await signedVisit(scribe);
      assert.deepEqual(await scribe.outboxWorker.runOnce(), { delivered: 1, retrying: 0, failed: 0 });
      const draft = await call<NoteAddendum>(scribe, 'note:addendum', { visitId: visit.id, text: 'Addendum text.' });
      await call(scribe, 'visit:signAddendum', { visitId: visit.id, revision: draft.revision });
      assert.deepEqual(await scribe.outboxWorker.runOnce(), { delivered: 1, retrying: 0, failed: 0 });
      assert.equal(fhir.jobs.filter((j) => j.payload.addendum).length, 0, 'FHIR never sees the addendum of a note it does not hold');
      assert.equal(hl7.jobs.filter((j) => j.payload.addendum).length, 1);
      const addendumJob = (await jobs(scribe)).find((j) => j.addendum)!;
      assert.equal(addendumJob.target, 'hl7v2');
    } finally {
      scribe.close();
    }
  });
});

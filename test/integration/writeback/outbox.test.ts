import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { afterEach, beforeEach, describe, test } from 'vitest';
import type { Scribe } from '../../../main/compose.js';
import { openScribe } from '../../../main/compose.js';
import { createPassphraseKeyProvider } from '../../../main/store/passphrase-key-provider.js';
import type { Deliverer, DeliveryJob, DeliveryOutcome, DeliveryTarget } from '../../../main/writeback/delivery.js';
import type { OutboxRoute } from '../../../shared/domain/outbox.js';
import type { Note } from '../../../shared/domain/note.js';
import type { Visit } from '../../../shared/domain/visit.js';
import { noteDraft } from '../../helpers/note-draft.js';
import { FAST_SCRYPT, SENTINEL, tempDir } from '../../helpers/temp-store.js';

const clinician = { transport: 'cli', actor: { id: 'dr-sign', role: 'clinician' } } as const;
const scribeUser = { transport: 'cli', actor: { id: 'scribe-1', role: 'scribe' } } as const;

/** A delivery target that answers from a script and records every job it was handed. */
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
const delivered = (target: DeliveryTarget): DeliveryOutcome =>
  target === 'fhir'
    ? { kind: 'delivered', receipt: { target, resources: [{ type: 'DocumentReference', id: 'doc-1', versionId: '1' }] } }
    : { kind: 'delivered', receipt: { target: 'hl7v2', ackCode: 'AA', messageControlId: 'X' } };

describe('sign-off and the outbox', () => {
  let tmp: ReturnType<typeof tempDir>;
  let now: number;
  const clock = { now: () => new Date(now) };
  const open = (route: OutboxRoute, deliverers: Partial<Record<DeliveryTarget, Deliverer>>): Scribe =>
    openScribe({
      dataDir: tmp.dir,
      keyProvider: createPassphraseKeyProvider('outbox test passphrase', FAST_SCRYPT),
      mode: 'open-or-create',
      clock,
      writeback: { route, deliverers, leaseMs: 60_000 },
    });

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

  let encounters = 0;
  // One visit per encounter: each signed visit here is a different encounter.
  async function signedVisit(scribe: Scribe): Promise<{ visit: Visit; jobId: string }> {
    encounters += 1;
    const visit = await call<Visit>(scribe, 'visit:create', {
      patientId: SENTINEL.patientId,
      encounterId: `enc-${encounters}`,
      patient: { displayName: SENTINEL.name, mrn: SENTINEL.mrn },
    });
    const note = await call<Note>(
      scribe,
      'note:save',
      { visitId: visit.id, note: noteDraft(visit.id, `${SENTINEL.name} reports sore throat.`) },
      scribeUser,
    );
    const { jobId } = await call<{ jobId: string }>(scribe, 'visit:sign', { visitId: visit.id, revision: note.revision });
    return { visit, jobId };
  }

  beforeEach(() => {
    tmp = tempDir('scribe-outbox-');
    now = Date.parse('2026-11-21T10:00:00Z');
  });
  afterEach(() => tmp.cleanup());

  test('only a clinician can sign; a scribe is refused by the API', async () => {
    const scribe = open('fhir', {});
    try {
      const visit = await call<Visit>(scribe, 'visit:create', { patientId: 'p1' });
      const note = await call<Note>(scribe, 'note:save', { visitId: visit.id, note: noteDraft(visit.id) }, scribeUser);
      await assert.rejects(call(scribe, 'visit:sign', { visitId: visit.id, revision: note.revision }, scribeUser), { code: 'forbidden' });
      assert.equal((await call<{ jobs: unknown[] }>(scribe, 'outbox:list', {})).jobs.length, 0);
    } finally {
      scribe.close();
    }
  });

  test('signing covers exactly the reviewed revision, locks the note and queues one job', async () => {
    const scribe = open('fhir', {});
    try {
      const visit = await call<Visit>(scribe, 'visit:create', { patientId: 'p1' });
      const first = await call<Note>(scribe, 'note:save', { visitId: visit.id, note: noteDraft(visit.id) }, scribeUser);
      const second = await call<Note>(
        scribe,
        'note:save',
        { visitId: visit.id, baseRevision: first.revision, note: noteDraft(visit.id, 'Edited HPI.') },
        scribeUser,
      );
      await assert.rejects(
        call(
          scribe,
          'note:save',
          { visitId: visit.id, baseRevision: first.revision, note: noteDraft(visit.id, 'A stale edit.') },
          scribeUser,
        ),
        { code: 'conflict' },
        'an edit based on an old revision never overwrites a newer one',
      );
      await assert.rejects(call(scribe, 'visit:sign', { visitId: visit.id, revision: first.revision }), { code: 'conflict' });
      const { attestation } = await call<{ attestation: { noteSha256: string; revision: number } }>(scribe, 'visit:sign', {
        visitId: visit.id,
        revision: second.revision,
      });
      assert.equal(attestation.revision, 2);
      await assert.rejects(call(scribe, 'visit:sign', { visitId: visit.id, revision: second.revision }), { code: 'conflict' });
      await assert.rejects(call(scribe, 'note:save', { visitId: visit.id, baseRevision: 2, note: noteDraft(visit.id, 'After signing.') }), {
        code: 'conflict',
      });
      const { jobs } = await call<{ jobs: { state: string }[] }>(scribe, 'outbox:list', {});
      assert.deepEqual(
        jobs.map((j) => j.state),
        ['queued'],
      );
      const view = await call<{ note: Note; signed: boolean; revisions: { author: string }[] }>(scribe, 'note:get', { visitId: visit.id });
      assert.equal(view.signed, true);
      assert.deepEqual(
        view.revisions.map((r) => r.author),
        ['scribe-1', 'scribe-1'],
      );
      assert.equal((await call<Visit>(scribe, 'visit:get', { id: visit.id })).state, 'signed');
    } finally {
      scribe.close();
    }
  });

  test('a delivered job keeps its receipt; transient failures back off and keep the reason encrypted', async () => {
    let answers: DeliveryOutcome[] = [{ kind: 'retry', code: 'http_503', reason: `Server busy for ${SENTINEL.name}` }, delivered('fhir')];
    const fhir = scriptedDeliverer('fhir', () => answers.shift()!);
    const scribe = open('fhir', { fhir });
    try {
      const { visit, jobId } = await signedVisit(scribe);
      assert.deepEqual(await scribe.outboxWorker.runOnce(), { delivered: 0, retrying: 1, failed: 0 });
      let job = (
        await call<{ jobs: { id: string; state: string; lastError?: string; nextAttemptAt?: string; attempts: number }[] }>(
          scribe,
          'outbox:list',
          {},
        )
      ).jobs[0]!;
      assert.equal(job.state, 'queued');
      assert.equal(job.lastError, `Server busy for ${SENTINEL.name}`);
      assert.ok(Date.parse(job.nextAttemptAt!) >= now + 5_000, 'backs off before trying again');
      assert.deepEqual(await scribe.outboxWorker.runOnce(), { delivered: 0, retrying: 0, failed: 0 }, 'not due yet');

      now += 60 * 60_000;
      assert.deepEqual(await scribe.outboxWorker.runOnce(), { delivered: 1, retrying: 0, failed: 0 });
      job = (await call<{ jobs: (typeof job)[] }>(scribe, 'outbox:list', {})).jobs[0]!;
      assert.equal(job.id, jobId);
      assert.equal(job.state, 'delivered');
      assert.equal(job.attempts, 2);
      assert.equal(fhir.jobs[0]!.idempotencyKey, fhir.jobs[1]!.idempotencyKey, 'a resend reuses the idempotency key');
      assert.equal(fhir.jobs[1]!.payload.noteText.includes(`${SENTINEL.name} reports sore throat.`), true);
      assert.deepEqual(
        fhir.jobs[1]!.payload.codes.map((c) => c.code),
        ['J02.9'],
        'only accepted codes are sent',
      );
      assert.equal((await call<Visit>(scribe, 'visit:get', { id: visit.id })).state, 'delivered');
    } finally {
      scribe.close();
    }
    answers = [];
    for (const suffix of ['', '-wal']) {
      let bytes: Buffer;
      try {
        bytes = readFileSync(`${tmp.dir}/scribe.db${suffix}`);
      } catch {
        continue;
      }
      assert.equal(bytes.indexOf(SENTINEL.name), -1, `no patient name in scribe.db${suffix}`);
    }
  });

  test('a permanent refusal fails the job visibly; a person can retry it', async () => {
    let refuse = true;
    const fhir = scriptedDeliverer('fhir', () =>
      refuse ? { kind: 'failed', code: 'http_422', reason: 'DocumentReference.subject: required' } : delivered('fhir'),
    );
    const scribe = open('fhir', { fhir });
    try {
      const { visit, jobId } = await signedVisit(scribe);
      assert.deepEqual(await scribe.outboxWorker.runOnce(), { delivered: 0, retrying: 0, failed: 1 });
      const failed = (await call<{ jobs: { state: string; lastError: string; lastErrorCode: string }[] }>(scribe, 'outbox:list', {}))
        .jobs[0]!;
      assert.deepEqual(
        [failed.state, failed.lastErrorCode, failed.lastError],
        ['failed', 'http_422', 'DocumentReference.subject: required'],
      );
      assert.equal((await call<Visit>(scribe, 'visit:get', { id: visit.id })).state, 'failed');
      now += 24 * 60 * 60_000;
      assert.deepEqual(
        await scribe.outboxWorker.runOnce(),
        { delivered: 0, retrying: 0, failed: 0 },
        'a failed job is never retried on its own',
      );
      refuse = false;
      await call(scribe, 'outbox:retry', { jobId });
      assert.deepEqual(await scribe.outboxWorker.runOnce(), { delivered: 1, retrying: 0, failed: 0 });
      await assert.rejects(call(scribe, 'outbox:retry', { jobId }), { code: 'conflict' });
    } finally {
      scribe.close();
    }
  });

  test('a job claimed by a worker that died is taken over after its lease, with the same key', async () => {
    const seen: string[] = [];
    let hang = true;
    const fhir = scriptedDeliverer('fhir', (job) => {
      seen.push(job.idempotencyKey);
      return delivered('fhir');
    });
    const hanging: Deliverer = {
      target: 'fhir',
      deliver: (job) => (seen.push(job.idempotencyKey), hang ? new Promise<never>(() => {}) : fhir.deliver(job, AbortSignal.timeout(1))),
    };
    const first = open('fhir', { fhir: hanging });
    await signedVisit(first);
    void first.outboxWorker.runOnce();
    await new Promise((resolve) => setTimeout(resolve, 50));
    hang = false;
    first.store.close();

    const second = open('fhir', { fhir });
    try {
      assert.deepEqual(await second.outboxWorker.runOnce(), { delivered: 0, retrying: 0, failed: 0 }, 'the claim still holds');
      now += 61_000;
      assert.deepEqual(await second.outboxWorker.runOnce(), { delivered: 1, retrying: 0, failed: 0 });
      assert.equal(seen.length, 2);
      assert.equal(seen[0], seen[1]);
    } finally {
      second.close();
    }
  });

  test('FHIR-then-HL7 falls back only when FHIR surely holds nothing', async () => {
    const fhirAnswers: DeliveryOutcome[] = [
      { kind: 'unreachable', code: 'econnrefused', reason: 'The EHR did not answer.' },
      { kind: 'retry', code: 'connection_reset', reason: 'The connection dropped before the answer.' },
      delivered('fhir'),
    ];
    const fhir = scriptedDeliverer('fhir', () => fhirAnswers.shift()!);
    const hl7 = scriptedDeliverer('hl7v2', () => delivered('hl7v2'));
    const scribe = open('fhir-then-hl7v2', { fhir, hl7v2: hl7 });
    try {
      await signedVisit(scribe);
      await scribe.outboxWorker.runOnce();
      assert.equal(hl7.jobs.length, 1, 'unreachable FHIR → HL7 v2');
      assert.equal((await call<{ jobs: { target: string }[] }>(scribe, 'outbox:list', {})).jobs[0]!.target, 'hl7v2');

      await signedVisit(scribe);
      await scribe.outboxWorker.runOnce();
      assert.equal(hl7.jobs.length, 1, 'an ambiguous FHIR failure does not fall back');
      now += 60 * 60_000;
      await scribe.outboxWorker.runOnce();
      assert.equal(fhir.jobs.length, 3, 'the ambiguous job is resent to FHIR, where it may already be');
      assert.deepEqual(
        (await call<{ jobs: { state: string }[] }>(scribe, 'outbox:list', {})).jobs.map((j) => j.state),
        ['delivered', 'delivered'],
      );
    } finally {
      scribe.close();
    }
  });
});

/**
 * Exactly once without transactions or conditional create (issue 14, item 3). In front of a real
 * sandbox EHR, a proxy plays the EHR that offers neither, ignores search parameters it does not list
 * (identifier, _tag) and can commit a create but lose its answer. What must hold: a job is never
 * marked delivered from someone else's document; a create whose answer was lost is looked for only
 * where the server can be asked, and is otherwise held as unknown outcome for a person, never resent
 * blindly; that person's answer settles the job, through the API the outbox view uses.
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import type { DocumentReference } from '@medplum/fhirtypes';
import { afterAll, beforeAll, describe, test } from 'vitest';
import type { Scribe } from '../../../main/compose.js';
import { openScribe } from '../../../main/compose.js';
import { FHIR_SYSTEMS } from '../../../main/fhir/fhir-systems.js';
import type { CallContext } from '../../../main/kernel/actor.js';
import { createPassphraseKeyProvider } from '../../../main/store/passphrase-key-provider.js';
import { memoryWriteLedger } from '../../../main/writeback/delivery.js';
import type { OutboxJobSummary } from '../../../shared/domain/outbox.js';
import type { Note } from '../../../shared/domain/note.js';
import type { Visit } from '../../../shared/domain/visit.js';
import type { EhrProxy } from '../../helpers/ehr-proxy.js';
import { startEhrProxy } from '../../helpers/ehr-proxy.js';
import type { FhirSandboxFixture } from '../../helpers/fhir-sandbox.js';
import { startFhirSandbox } from '../../helpers/fhir-sandbox.js';
import { noteDraft } from '../../helpers/note-draft.js';
import { buildDeliveryJob, buildSignedNotePayload } from '../../helpers/signed-note.js';
import { FAST_SCRYPT, tempDir } from '../../helpers/temp-store.js';

const IGNORING = ['identifier', '_tag'];
const ours = (fx: FhirSandboxFixture, key: string) =>
  fx.search<DocumentReference>('DocumentReference', `identifier=${encodeURIComponent(`${FHIR_SYSTEMS.noteIdentifier}|${key}`)}`);
const signal = () => AbortSignal.timeout(20_000);

describe('write-back to an EHR without transactions or conditional create', () => {
  let fx: FhirSandboxFixture;
  const proxies: EhrProxy[] = [];
  const proxy = async (ignoredSearchParams: readonly string[]) => {
    const started = await startEhrProxy({ upstream: fx.sandbox.fhirBaseUrl, ignoredSearchParams });
    proxies.push(started);
    return started;
  };

  beforeAll(async () => {
    fx = await startFhirSandbox();
  });
  afterAll(async () => {
    for (const p of proxies) await p.close();
    await fx.close();
  });

  test("a server that ignores our identifier: the note is written, never reported delivered as another patient's document", async () => {
    // Someone else's note is already on the server, so a search that ignores `identifier` finds it.
    const other = await fx
      .deliverer()
      .deliver(buildDeliveryJob(buildSignedNotePayload({ patientId: 'sbx-patient-2', encounterId: null })), signal());
    assert.equal(other.kind, 'delivered');
    const otherDoc = other.kind === 'delivered' && other.receipt.target === 'fhir' ? other.receipt.resources[0]!.id : '';
    const strict = await proxy(IGNORING);
    const job = buildDeliveryJob();
    const outcome = await fx.deliverer({ baseUrl: strict.baseUrl }).deliver(job, signal());
    assert.equal(outcome.kind, 'delivered', JSON.stringify(outcome));
    const receipt = outcome.kind === 'delivered' && outcome.receipt.target === 'fhir' ? outcome.receipt : undefined;
    const doc = receipt?.resources.find((r) => r.type === 'DocumentReference');
    assert.notEqual(doc?.id, otherDoc, "someone else's document taken as ours");
    const stored = await fx.get<DocumentReference>(`DocumentReference/${doc!.id}`);
    assert.equal(stored.subject?.reference, `Patient/${job.payload.patient.id}`);
    assert.deepEqual(
      (await ours(fx, job.idempotencyKey)).map((d) => d.id),
      [doc!.id],
    );
  });

  test('an answer lost where the server cannot be asked: held as unknown outcome, never sent twice', async () => {
    const strict = await proxy(IGNORING);
    strict.dropAfterCommit('DocumentReference', 1);
    const deliverer = fx.deliverer({ baseUrl: strict.baseUrl });
    const ledger = memoryWriteLedger();
    const job = buildDeliveryJob();
    const first = await deliverer.deliver({ ...job, ledger }, signal());
    assert.equal(first.kind, 'retry', JSON.stringify(first));
    const second = await deliverer.deliver({ ...job, attempt: 2, ledger }, signal());
    assert.deepEqual([second.kind, second.kind === 'unknown' && second.code], ['unknown', 'outcome_unknown']);
    assert.equal(strict.creates.filter((t) => t === 'DocumentReference').length, 1, 'the note was not sent again');
    assert.equal((await ours(fx, job.idempotencyKey)).length, 1, 'the first send did commit');
  });

  test('an answer lost where the server searches by our identifier: found, and delivered exactly once', async () => {
    const honest = await proxy([]);
    honest.dropAfterCommit('DocumentReference', 1);
    const deliverer = fx.deliverer({ baseUrl: honest.baseUrl });
    const ledger = memoryWriteLedger();
    const job = buildDeliveryJob();
    assert.equal((await deliverer.deliver({ ...job, ledger }, signal())).kind, 'retry');
    const second = await deliverer.deliver({ ...job, attempt: 2, ledger }, signal());
    assert.equal(second.kind, 'delivered', JSON.stringify(second));
    const onServer = await ours(fx, job.idempotencyKey);
    assert.equal(onServer.length, 1);
    const doc = second.kind === 'delivered' && second.receipt.target === 'fhir' ? second.receipt.resources[0] : undefined;
    assert.deepEqual([doc?.type, doc?.id], ['DocumentReference', onServer[0]!.id]);
    assert.equal(honest.creates.filter((t) => t === 'DocumentReference').length, 1);
  });
});

describe('the outbox holds an unknown outcome for a person to settle', () => {
  const tmp = tempDir('scribe-unknown-outcome-');
  let fx: FhirSandboxFixture;
  let strict: EhrProxy;
  let scribe: Scribe;
  const clinician: CallContext = {
    transport: 'ipc',
    actor: { id: 'sbx-practitioner-1', role: 'clinician', practitioner: { id: 'sbx-practitioner-1', vouchedBy: 'ehr-sign-in' } },
  };
  const scribeUser: CallContext = { transport: 'ipc', actor: { id: 'sc-outcome', role: 'scribe' } };
  const call = async <T>(channel: string, request: unknown, ctx: CallContext = clinician): Promise<T> => {
    const result = await scribe.dispatch(channel, request, ctx);
    if (!result.ok) throw Object.assign(new Error(result.error.message), result.error);
    return result.value as T;
  };
  const jobOf = async (visitId: string) =>
    (await call<{ jobs: OutboxJobSummary[] }>('outbox:list', {})).jobs.find((j) => j.visitId === visitId)!;
  /** Today's encounter n of the sandbox (one visit per encounter), signed and queued. */
  const signedVisit = async (n: number) => {
    const visit = await call<Visit>('visit:create', {
      patientId: `sbx-patient-${n}`,
      encounterId: `sbx-encounter-${n}`,
      patient: { displayName: 'Test' },
    });
    const note = await call<Note>('note:save', { visitId: visit.id, note: noteDraft(visit.id) });
    await call('visit:sign', { visitId: visit.id, revision: note.revision });
    return visit.id;
  };
  const runUntilSettled = async (visitId: string) => {
    for (let i = 0; i < 5; i += 1) {
      await scribe.outboxWorker.runOnce();
      const job = await jobOf(visitId);
      if (job.state !== 'queued' && job.state !== 'sending') return job;
    }
    return jobOf(visitId);
  };

  beforeAll(async () => {
    fx = await startFhirSandbox();
    strict = await startEhrProxy({ upstream: fx.sandbox.fhirBaseUrl, ignoredSearchParams: IGNORING });
    scribe = openScribe({
      dataDir: join(tmp.dir, 'store'),
      keyProvider: createPassphraseKeyProvider('unknown outcome passphrase', FAST_SCRYPT),
      mode: 'create',
      writeback: { route: 'fhir', deliverers: { fhir: fx.deliverer({ baseUrl: strict.baseUrl }) }, backoff: { baseMs: 0, maxMs: 0 } },
    });
  });
  afterAll(async () => {
    scribe.close();
    await strict.close();
    await fx.close();
    tmp.cleanup();
  });

  test('unknown outcome: not delivered, not resent; "it is there" marks it delivered with who confirmed, audited', async () => {
    strict.dropAfterCommit('DocumentReference', 1);
    const visitId = await signedVisit(1);
    const job = await runUntilSettled(visitId);
    assert.equal(job.state, 'unknown_outcome');
    assert.equal(job.lastErrorCode, 'outcome_unknown');
    assert.equal((await call<Visit>('visit:get', { id: visitId })).state, 'failed', 'the visit shows it needs someone');
    await scribe.outboxWorker.runOnce();
    assert.equal((await jobOf(visitId)).state, 'unknown_outcome', 'held: the worker does not pick it up again');
    await assert.rejects(call('outbox:confirm', { jobId: job.id, delivered: true }, scribeUser), { reason: 'outbox.confirm_forbidden' });
    const confirmed = await call<OutboxJobSummary>('outbox:confirm', { jobId: job.id, delivered: true });
    assert.equal(confirmed.state, 'delivered');
    assert.equal(confirmed.receipt?.target === 'fhir' && confirmed.receipt.confirmedBy, 'sbx-practitioner-1');
    assert.equal((await call<Visit>('visit:get', { id: visitId })).state, 'delivered');
    const audit = [...scribe.audit.entries()]
      .filter((e) => e.objectId.startsWith(job.id))
      .map((e) => `${e.actor} ${e.action} ${e.objectId}`);
    assert.ok(audit.includes(`system:outbox outbox.outcome_unknown ${job.id}`));
    assert.ok(audit.includes(`sbx-practitioner-1 outbox.outcome_confirmed ${job.id}:delivered`));
    await assert.rejects(call('outbox:confirm', { jobId: job.id, delivered: false }), { reason: 'outbox.outcome_known' });
  });

  test('"it is not there" sends it again, and it is delivered', async () => {
    strict.dropAfterCommit('DocumentReference', 1);
    const visitId = await signedVisit(2);
    const job = await runUntilSettled(visitId);
    assert.equal(job.state, 'unknown_outcome');
    const requeued = await call<OutboxJobSummary>('outbox:confirm', { jobId: job.id, delivered: false });
    assert.equal(requeued.state, 'queued');
    const settled = await runUntilSettled(visitId);
    assert.equal(settled.state, 'delivered');
    assert.equal((await call<Visit>('visit:get', { id: visitId })).state, 'delivered');
  });
});

import assert from 'node:assert/strict';
import type { CapabilityStatement, Provenance } from '@medplum/fhirtypes';
import { memoryWriteLedger } from '../../../main/writeback/delivery.js';
import { afterAll, afterEach, beforeAll, describe, test } from 'vitest';
import { generateClientKeyPair } from '../../../main/fhir/client-key.js';
import type { DeliveryOutcome } from '../../../main/writeback/delivery.js';
import { SANDBOX_SEEDED_CONDITIONS } from '../../../main/sandbox/seed-clinical.js';
import { closedPort, startFhirSandbox } from '../../helpers/fhir-sandbox.js';
import type { FhirSandboxFixture } from '../../helpers/fhir-sandbox.js';
import { buildDeliveryJob, buildSignedNotePayload } from '../../helpers/signed-note.js';
import { SENTINEL } from '../../helpers/temp-store.js';

const signal = () => AbortSignal.timeout(20_000);

function expectKind<K extends DeliveryOutcome['kind']>(outcome: DeliveryOutcome, kind: K): Extract<DeliveryOutcome, { kind: K }> {
  assert.equal(outcome.kind, kind, `expected ${kind}, got ${JSON.stringify(outcome)}`);
  return outcome as Extract<DeliveryOutcome, { kind: K }>;
}

/** fetch that counts calls to the token endpoint. */
function countingFetch(): { fetch: typeof fetch; tokenRequests: () => number } {
  let tokens = 0;
  return {
    fetch: (input, init) => {
      const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
      if (url.endsWith('/auth/token')) tokens += 1;
      return fetch(input, init);
    },
    tokenRequests: () => tokens,
  };
}

const documentsFor = (fx: FhirSandboxFixture, key: string) => fx.search('DocumentReference', `identifier=urn:ambient-scribe:note|${key}`);

describe('FHIR write-back under faults', () => {
  let fx: FhirSandboxFixture;
  beforeAll(async () => {
    fx = await startFhirSandbox();
  });
  afterEach(() => {
    fx.sandbox.faults.reset();
  });
  afterAll(async () => {
    await fx.close();
  });

  test('a token the EHR stopped accepting is replaced once, and the note goes through', async () => {
    const counter = countingFetch();
    const deliverer = fx.deliverer({}, counter.fetch);
    expectKind(await deliverer.deliver(buildDeliveryJob(), signal()), 'delivered');
    assert.equal(counter.tokenRequests(), 1);
    expectKind(await deliverer.deliver(buildDeliveryJob(), signal()), 'delivered');
    assert.equal(counter.tokenRequests(), 1, 'the token is cached between deliveries');

    assert.ok(fx.sandbox.expireTokens() > 0);
    const job = buildDeliveryJob();
    expectKind(await deliverer.deliver(job, signal()), 'delivered');
    assert.equal(counter.tokenRequests(), 2, 'a 401 fetched exactly one new token');
    assert.equal((await documentsFor(fx, job.idempotencyKey)).length, 1);
  });

  test('concurrent deliveries share one token request', async () => {
    const counter = countingFetch();
    const deliverer = fx.deliverer({}, counter.fetch);
    const outcomes = await Promise.all(Array.from({ length: 5 }, () => deliverer.deliver(buildDeliveryJob(), signal())));
    for (const o of outcomes) expectKind(o, 'delivered');
    assert.equal(counter.tokenRequests(), 1);
  });

  test('a token that runs out is renewed before it is used, without a 401', async () => {
    const short = await startFhirSandbox({ accessTokenTtlSeconds: 2 });
    try {
      const counter = countingFetch();
      const deliverer = short.deliverer({}, counter.fetch);
      expectKind(await deliverer.deliver(buildDeliveryJob(), signal()), 'delivered');
      await new Promise((resolve) => setTimeout(resolve, 2_100));
      expectKind(await deliverer.deliver(buildDeliveryJob(), signal()), 'delivered');
      assert.equal(counter.tokenRequests(), 2);
    } finally {
      await short.close();
    }
  });

  test('a wrong private key is a clear, permanent failure', async () => {
    const stranger = await generateClientKeyPair('ES384');
    const wrongKey = { ...stranger.privateKey, kid: fx.key.privateKey.kid };
    const outcome = expectKind(await fx.deliverer({ privateKey: wrongKey }).deliver(buildDeliveryJob(), signal()), 'failed');
    assert.equal(outcome.code, 'auth_rejected');
    assert.match(outcome.reason, /invalid_client/);
    assert.match(outcome.reason, /public key/);
  });

  test('an unknown client id is a clear, permanent failure', async () => {
    const outcome = expectKind(await fx.deliverer({ clientId: 'nobody' }).deliver(buildDeliveryJob(), signal()), 'failed');
    assert.equal(outcome.code, 'auth_rejected');
  });

  test('5xx from the EHR is retried, honouring Retry-After, and nothing is stored', async () => {
    const deliverer = fx.deliverer();
    await deliverer.deliver(buildDeliveryJob(), signal()); // warm: token and CapabilityStatement cached
    fx.sandbox.faults.update({ errorRate: 1, errorStatus: 503, retryAfterSeconds: 7 });
    const job = buildDeliveryJob();
    const outcome = expectKind(await deliverer.deliver(job, signal()), 'retry');
    assert.equal(outcome.code, 'server_error');
    assert.equal(outcome.retryAfterMs, 7_000);
    assert.match(outcome.reason, /HTTP 503/);
    fx.sandbox.faults.reset();
    assert.equal((await documentsFor(fx, job.idempotencyKey)).length, 0);
  });

  test('429 is retried as rate limiting; 500 without Retry-After as a server error', async () => {
    const deliverer = fx.deliverer();
    await deliverer.deliver(buildDeliveryJob(), signal());
    fx.sandbox.faults.update({ errorRate: 1, errorStatus: 429, retryAfterSeconds: 2 });
    const limited = expectKind(await deliverer.deliver(buildDeliveryJob(), signal()), 'retry');
    assert.equal(limited.code, 'rate_limited');
    assert.equal(limited.retryAfterMs, 2_000);
    fx.sandbox.faults.update({ errorStatus: 500, retryAfterSeconds: undefined });
    const failing = expectKind(await deliverer.deliver(buildDeliveryJob(), signal()), 'retry');
    assert.equal(failing.code, 'server_error');
    assert.equal(failing.retryAfterMs, undefined);
  });

  test('a refused connection is unreachable (routing may fall back)', async () => {
    const port = await closedPort();
    const outcome = expectKind(
      await fx.deliverer({ baseUrl: `http://127.0.0.1:${port}/fhir` }).deliver(buildDeliveryJob(), signal()),
      'unreachable',
    );
    assert.equal(outcome.code, 'unreachable');
    assert.match(outcome.reason, /ECONNREFUSED/);
  });

  test('a connection dropped after the EHR committed, then a resend: exactly one document', async () => {
    const deliverer = fx.deliverer();
    await deliverer.deliver(buildDeliveryJob(), signal());
    const job = buildDeliveryJob();
    fx.sandbox.faults.update({ dropAfterCommitRate: 1 });
    const lost = expectKind(await deliverer.deliver(job, signal()), 'retry');
    assert.equal(lost.code, 'connection_lost');
    fx.sandbox.faults.reset();
    assert.equal((await documentsFor(fx, job.idempotencyKey)).length, 1, 'the first send did commit');
    const resent = expectKind(await deliverer.deliver({ ...job, attempt: 2 }, signal()), 'delivered');
    const docs = await documentsFor(fx, job.idempotencyKey);
    assert.equal(docs.length, 1, 'the resend found the document instead of copying it');
    assert.equal(resent.receipt.target === 'fhir' && resent.receipt.resources[0]?.id, docs[0]!.id);
    assert.equal(fx.sandbox.faults.counters().dropsAfterCommit, 1);
  });

  test('an EHR that never answers is a timeout, retried', async () => {
    const deliverer = fx.deliverer({ requestTimeoutMs: 1_000 });
    await deliverer.deliver(buildDeliveryJob(), signal());
    fx.sandbox.faults.update({ timeoutRate: 1 });
    const outcome = expectKind(await deliverer.deliver(buildDeliveryJob(), signal()), 'retry');
    assert.equal(outcome.code, 'timeout');
  });

  test('a slow EHR still gets the note when the delay is within the timeout', async () => {
    fx.sandbox.faults.update({ delayMs: 300 });
    const started = Date.now();
    expectKind(await fx.deliverer().deliver(buildDeliveryJob(), signal()), 'delivered');
    assert.ok(Date.now() - started >= 300);
  });

  test('the job signal cutting a send short is a retry, never a failure', async () => {
    fx.sandbox.faults.update({ delayMs: 2_000 });
    const outcome = expectKind(await fx.deliverer().deliver(buildDeliveryJob(), AbortSignal.timeout(300)), 'retry');
    assert.equal(outcome.code, 'aborted');
  });

  test('fault outcomes never put patient data in the logs', () => {
    const logs = fx.logger.lines.join('\n');
    for (const secret of [SENTINEL.name, SENTINEL.mrn, 'invalid_client', 'HTTP 503'])
      assert.ok(!logs.includes(secret), `logs must not contain ${secret}`);
  });
});

describe('FHIR write-back to an EHR without transactions', () => {
  let fx: FhirSandboxFixture;
  beforeAll(async () => {
    fx = await startFhirSandbox({ transactions: false });
  });
  afterAll(async () => {
    await fx.close();
  });

  test('falls back to individual conditional creates, in order, and a resend still makes one of each', async () => {
    const payload = buildSignedNotePayload();
    const job = buildDeliveryJob(payload);
    const deliverer = fx.deliverer();
    const first = expectKind(await deliverer.deliver(job, signal()), 'delivered');
    const second = expectKind(await deliverer.deliver({ ...job, attempt: 2 }, signal()), 'delivered');
    assert.deepEqual(second.receipt, first.receipt);
    assert.ok(fx.logger.lines.some((l) => l.includes('"mode":"requests"')));
    assert.equal(fx.sandbox.repository.count('DocumentReference'), 1);
    assert.equal(fx.sandbox.repository.count('Condition') - SANDBOX_SEEDED_CONDITIONS, payload.codes.length);
    assert.equal(fx.sandbox.repository.count('Provenance'), 1);
    const [doc] = await fx.search('DocumentReference', `identifier=urn:ambient-scribe:note|${job.idempotencyKey}`);
    const [prov] = await fx.search<Provenance>('Provenance', `_tag=urn:ambient-scribe:note-provenance|${job.idempotencyKey}`);
    assert.ok(
      prov?.target?.some((t) => t.reference === `DocumentReference/${doc!.id}`),
      'placeholders were replaced by stored ids',
    );
  });

  test("a server without conditional create: the job's write ledger makes a resend keep what the first send made", async () => {
    // The same sandbox, described as one that lists no conditionalCreate for any resource.
    const noConditional: typeof fetch = async (input, init) => {
      const response = await fetch(input, init);
      const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
      if (!url.endsWith('/metadata')) return response;
      const cs = (await response.json()) as CapabilityStatement;
      for (const r of cs.rest?.[0]?.resource ?? []) r.conditionalCreate = false;
      return Response.json(cs);
    };
    const job = buildDeliveryJob(buildSignedNotePayload());
    const deliverer = fx.deliverer({}, noConditional);
    // The outbox keeps the ledger in the store across attempts; here it lives across the two calls.
    const ledger = memoryWriteLedger();
    const first = expectKind(await deliverer.deliver({ ...job, ledger }, signal()), 'delivered');
    const second = expectKind(await deliverer.deliver({ ...job, attempt: 2, ledger }, signal()), 'delivered');
    const ids = (receipt: typeof first.receipt) => (receipt.target === 'fhir' ? receipt.resources.map((r) => `${r.type}/${r.id}`) : []);
    assert.deepEqual(ids(second.receipt), ids(first.receipt), 'the resend kept what the first send made');
    assert.equal((await fx.search('DocumentReference', `identifier=urn:ambient-scribe:note|${job.idempotencyKey}`)).length, 1);
    assert.equal((await fx.search('Provenance', `_tag=urn:ambient-scribe:note-provenance|${job.idempotencyKey}`)).length, 1);
  });

  test('a refusal after part of the note was written says so (no silent fallback)', async () => {
    // A token allowed to write documents but not conditions: the document lands, the first Condition is refused.
    const deliverer = fx.deliverer({
      scope: 'system/DocumentReference.write system/Provenance.write system/Encounter.read system/Patient.read',
    });
    const job = buildDeliveryJob(buildSignedNotePayload());
    const failed = expectKind(await deliverer.deliver(job, signal()), 'failed');
    assert.equal(failed.code, 'partial_write');
    assert.match(failed.reason, /Part of the note was written/);
    assert.match(failed.reason, /HTTP 403/);
    assert.equal((await fx.search('DocumentReference', `identifier=urn:ambient-scribe:note|${job.idempotencyKey}`)).length, 1);
  });

  test('refused before anything was written: a plain failure that routing may fall back from', async () => {
    const deliverer = fx.deliverer({ scope: 'system/Condition.write system/Provenance.write system/Encounter.read system/Patient.read' });
    const failed = expectKind(await deliverer.deliver(buildDeliveryJob(), signal()), 'failed');
    assert.equal(failed.code, 'forbidden');
  });
});

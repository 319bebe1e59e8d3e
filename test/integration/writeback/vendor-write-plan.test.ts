/**
 * The write plan against the sandbox's vendor profiles (issue 14, item 2): what is written follows the
 * server's CapabilityStatement and the vendor's published rules, and the outbox receipt says what was
 * left out and why. Real sandbox EHRs on 127.0.0.1 under the epic, oracle and athena profiles.
 */
import assert from 'node:assert/strict';
import type { DocumentReference, Encounter } from '@medplum/fhirtypes';
import { afterAll, beforeAll, describe, test } from 'vitest';
import { memoryWriteLedger } from '../../../main/writeback/delivery.js';
import type { DeliveryOutcome } from '../../../main/writeback/delivery.js';
import type { FhirSandboxFixture } from '../../helpers/fhir-sandbox.js';
import { startFhirSandbox } from '../../helpers/fhir-sandbox.js';
import { buildDeliveryJob, buildSignedNotePayload } from '../../helpers/signed-note.js';

const THREE_CODES = [
  { code: 'E11.65', description: 'Type 2 diabetes mellitus with hyperglycemia' },
  { code: 'I10', description: 'Essential (primary) hypertension' },
  { code: 'E78.5', description: 'Hyperlipidemia, unspecified' },
];
const signal = () => AbortSignal.timeout(20_000);
type Delivered = Extract<DeliveryOutcome, { kind: 'delivered' }>;
const delivered = (outcome: DeliveryOutcome): Delivered => {
  assert.equal(outcome.kind, 'delivered', JSON.stringify(outcome));
  return outcome;
};
const fhirReceipt = (outcome: Delivered) => {
  assert.equal(outcome.receipt.target, 'fhir');
  return outcome.receipt;
};

describe('Epic profile', () => {
  let fx: FhirSandboxFixture;
  beforeAll(async () => {
    fx = await startFhirSandbox({ profile: 'epic' });
  });
  afterAll(() => fx.close());

  test('a note with three accepted codes: one DocumentReference (text/plain, final, encounter and period), no Conditions, no Provenance, and the receipt says why', async () => {
    const job = buildDeliveryJob(buildSignedNotePayload({ codes: THREE_CODES }));
    const outcome = delivered(await fx.deliverer({ vendor: 'epic' }).deliver({ ...job, ledger: memoryWriteLedger() }, signal()));
    const receipt = fhirReceipt(outcome);
    assert.deepEqual(
      receipt.resources.map((r) => r.type),
      ['DocumentReference'],
    );
    assert.deepEqual(
      (receipt.skipped ?? []).map((s) => [s.type, s.count]),
      [
        ['Condition', 3],
        ['Provenance', 1],
      ],
    );
    assert.match(receipt.skipped![0]!.why, /diagnoses are in the signed note's text/);
    const doc = await fx.get<DocumentReference>(`DocumentReference/${receipt.resources[0]!.id}`);
    assert.equal(doc.docStatus, 'final');
    assert.equal(doc.status, 'current');
    assert.match(doc.content[0]?.attachment.contentType ?? '', /^text\/plain/);
    assert.equal(doc.context?.encounter?.[0]?.reference, `Encounter/${job.payload.encounterId}`);
    const encounter = await fx.get<Encounter>(`Encounter/${job.payload.encounterId}`);
    assert.equal(doc.context?.period?.start, encounter.period?.start);
    assert.equal(doc.context?.period?.end, encounter.period?.end);
    const text = Buffer.from(doc.content[0]!.attachment.data!, 'base64').toString('utf8');
    for (const { code } of THREE_CODES) assert.ok(text.includes(code), `${code} in the note's text`);
    assert.equal(fx.sandbox.repository.count('Provenance'), 0, 'no Provenance attempted');
  });
});

describe('Oracle Health profile', () => {
  let fx: FhirSandboxFixture;
  beforeAll(async () => {
    fx = await startFhirSandbox({ profile: 'oracle' });
  });
  afterAll(() => fx.close());

  test('one attachment with its charset, docStatus final, context.period.end set; Conditions and a one-target Provenance written', async () => {
    const job = buildDeliveryJob(buildSignedNotePayload({ codes: THREE_CODES }));
    const outcome = delivered(await fx.deliverer({ vendor: 'oracle' }).deliver({ ...job, ledger: memoryWriteLedger() }, signal()));
    const receipt = fhirReceipt(outcome);
    assert.deepEqual(
      receipt.resources.map((r) => r.type),
      ['DocumentReference', 'Condition', 'Condition', 'Condition', 'Provenance'],
    );
    assert.equal(receipt.skipped, undefined);
    const doc = await fx.get<DocumentReference>(`DocumentReference/${receipt.resources[0]!.id}`);
    assert.equal(doc.content.length, 1);
    assert.match(doc.content[0]?.attachment.contentType ?? '', /charset=utf-8/i);
    assert.equal(doc.docStatus, 'final');
    assert.ok(doc.context?.period?.end, 'context.period.end');
  });
});

describe('athena profile', () => {
  let fx: FhirSandboxFixture;
  beforeAll(async () => {
    fx = await startFhirSandbox({ profile: 'athena' });
  });
  afterAll(() => fx.close());

  test('FHIR is read-only: the job fails at once saying to route notes over HL7 v2, and nothing is written', async () => {
    const outcome = await fx.deliverer({ vendor: 'athena' }).deliver(buildDeliveryJob(), signal());
    assert.deepEqual([outcome.kind, outcome.kind === 'failed' && outcome.code], ['failed', 'note_write_not_offered']);
    assert.match(outcome.kind === 'failed' ? outcome.reason : '', /HL7 v2/);
    assert.equal(fx.sandbox.repository.count('DocumentReference'), 0);
  });
});

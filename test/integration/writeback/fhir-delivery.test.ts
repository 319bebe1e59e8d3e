import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, test } from 'vitest';
import type { Condition, DocumentReference, Provenance, Resource } from '@medplum/fhirtypes';
import { loadUsCoreProfiles, US_CORE } from '../../../main/fhir/us-core-profiles.js';
import { createResourceValidator, errorsOf } from '../../../main/fhir/us-core-validation.js';
import type { DeliveryOutcome } from '../../../main/writeback/delivery.js';
import { startFhirSandbox } from '../../helpers/fhir-sandbox.js';
import type { FhirSandboxFixture } from '../../helpers/fhir-sandbox.js';
import {
  buildDeliveryJob,
  buildSignedNotePayload,
  FIXTURE_CODES,
  FIXTURE_REJECTED_CODE,
  TRICKY_SENTENCE,
} from '../../helpers/signed-note.js';
import { SENTINEL } from '../../helpers/temp-store.js';

const ICD_ORDER_FILE = new URL('../../../../shared/terminology/icd10cm/icd10cm_order_2026.txt', import.meta.url);
const signal = () => AbortSignal.timeout(20_000);

function delivered(outcome: DeliveryOutcome) {
  assert.equal(outcome.kind, 'delivered', outcome.kind === 'delivered' ? '' : `${outcome.kind} ${outcome.code}: ${outcome.reason}`);
  assert.ok(outcome.kind === 'delivered' && outcome.receipt.target === 'fhir');
  return outcome.receipt;
}

/** The official long description of an ICD-10-CM code from the 2026 order file, or undefined. */
function officialDescription(code: string): string | undefined {
  const compact = code.replace('.', '');
  for (const line of readFileSync(ICD_ORDER_FILE, 'utf8').split('\n')) {
    if (line.slice(6, 13).trim() === compact) return line.slice(77).trim();
  }
  return undefined;
}

describe('FHIR write-back to the sandbox EHR', () => {
  let fx: FhirSandboxFixture;
  beforeAll(async () => {
    fx = await startFhirSandbox();
  });
  afterAll(async () => {
    await fx.close();
  });

  test('a signed note arrives as DocumentReference, Conditions and Provenance with every field in place, each valid US Core 8.0.0', async () => {
    const payload = buildSignedNotePayload();
    const job = buildDeliveryJob(payload);
    const receipt = delivered(await fx.deliverer().deliver(job, signal()));
    assert.deepEqual(
      receipt.resources.map((r) => r.type),
      ['DocumentReference', 'Condition', 'Condition', 'Provenance'],
    );
    assert.ok(receipt.resources.every((r) => r.id && r.versionId));

    const [doc, ...more] = await fx.search<DocumentReference>(
      'DocumentReference',
      `identifier=urn:ambient-scribe:note|${job.idempotencyKey}`,
    );
    assert.ok(doc);
    assert.equal(more.length, 0);
    assert.equal(doc.id, receipt.resources[0]!.id);
    assert.equal(doc.status, 'current');
    assert.equal(doc.docStatus, 'final');
    assert.deepEqual(doc.type?.coding?.[0], { system: 'http://loinc.org', code: '11506-3', display: 'Progress note' });
    assert.equal(doc.category?.[0]?.coding?.[0]?.system, 'http://hl7.org/fhir/us/core/CodeSystem/us-core-documentreference-category');
    assert.equal(doc.category?.[0]?.coding?.[0]?.code, 'clinical-note');
    assert.equal(doc.subject?.reference, `Patient/${payload.patient.id}`);
    assert.deepEqual(
      doc.context?.encounter?.map((e) => e.reference),
      [`Encounter/${payload.encounterId}`],
    );
    assert.deepEqual(
      doc.author?.map((a) => a.reference),
      [`Practitioner/${payload.practitioner.id}`],
    );
    assert.equal(doc.authenticator?.reference, `Practitioner/${payload.practitioner.id}`);
    assert.equal(doc.date, payload.attestation.signedAt);
    assert.deepEqual(doc.identifier, [{ system: 'urn:ambient-scribe:note', value: job.idempotencyKey }]);
    const attachment = doc.content?.[0]?.attachment;
    assert.match(attachment?.contentType ?? '', /^text\/plain/);
    const bytes = Buffer.from(attachment?.data ?? '', 'base64');
    assert.ok(bytes.equals(Buffer.from(payload.noteText, 'utf8')), 'note text byte-identical');
    assert.ok(bytes.toString('utf8').includes(TRICKY_SENTENCE));
    assert.equal(createHash('sha256').update(bytes).digest('hex'), payload.attestation.noteSha256, 'the signed hash covers what arrived');
    assert.equal(attachment?.hash, createHash('sha1').update(bytes).digest('base64'));
    assert.equal(attachment?.size, bytes.length);
    assert.equal(doc.meta?.security?.[0]?.code, 'AIAST');

    const conditions = await fx.search<Condition>(
      'Condition',
      `subject=Patient/${payload.patient.id}&encounter=Encounter/${payload.encounterId}`,
    );
    const ours = conditions.filter((c) => c.identifier?.[0]?.value?.startsWith(job.idempotencyKey));
    assert.deepEqual(ours.map((c) => c.code?.coding?.[0]?.code).sort(), FIXTURE_CODES.map((c) => c.code).sort());
    assert.ok(!ours.some((c) => c.code?.coding?.[0]?.code === FIXTURE_REJECTED_CODE.code), 'a rejected code is never delivered');
    for (const c of ours) {
      const coding = c.code?.coding?.[0];
      assert.equal(coding?.system, 'http://hl7.org/fhir/sid/icd-10-cm');
      assert.equal(coding?.display, FIXTURE_CODES.find((f) => f.code === coding?.code)?.description);
      if (existsSync(ICD_ORDER_FILE))
        assert.equal(
          officialDescription(coding?.code ?? ''),
          coding?.display,
          `${coding?.code} is a real code with its official description`,
        );
      assert.equal(c.category?.[0]?.coding?.[0]?.code, 'encounter-diagnosis');
      assert.equal(c.clinicalStatus?.coding?.[0]?.code, 'active');
      assert.equal(c.verificationStatus?.coding?.[0]?.code, 'confirmed');
      assert.equal(c.subject?.reference, `Patient/${payload.patient.id}`);
      assert.equal(c.encounter?.reference, `Encounter/${payload.encounterId}`);
      assert.equal(c.recorder?.reference, `Practitioner/${payload.practitioner.id}`);
    }

    const [prov] = await fx.search<Provenance>('Provenance', `_tag=urn:ambient-scribe:note-provenance|${job.idempotencyKey}`);
    assert.ok(prov);
    assert.deepEqual(
      prov.target?.map((t) => t.reference).sort(),
      [`DocumentReference/${doc.id}`, ...ours.map((c) => `Condition/${c.id}`)].sort(),
      'the Provenance points at the stored resources, not at bundle placeholders',
    );
    assert.equal(prov.recorded, payload.attestation.signedAt);
    const author = prov.agent?.find((a) => a.type?.coding?.[0]?.code === 'author');
    assert.equal(author?.who?.reference, `Practitioner/${payload.practitioner.id}`);
    assert.equal(author?.onBehalfOf?.reference, 'Organization/sbx-clinic', 'found through the encounter serviceProvider');
    const ai = prov.agent?.find((a) => a.type?.coding?.[0]?.code === 'assembler');
    const device = prov.contained?.find((r) => `#${r.id}` === ai?.who?.reference);
    assert.equal(device?.resourceType, 'Device', 'the AI-assisted drafting is named as a device agent');

    const validator = createResourceValidator(loadUsCoreProfiles());
    assert.equal(validator.profiles.source, 'us-core-8.0.0', 'US Core 8.0.0 profiles are present to validate against');
    const profileOf: Record<string, string> = {
      DocumentReference: US_CORE.documentReference,
      Condition: US_CORE.encounterDiagnosis,
      Provenance: US_CORE.provenance,
    };
    for (const resource of [doc, ...ours, prov] as Resource[]) {
      assert.equal(validator.profiles.profileFor(resource)?.url, profileOf[resource.resourceType]);
      assert.deepEqual(errorsOf(validator.validate(resource)), [], `${resource.resourceType} is valid US Core`);
    }
  });

  test('sending the same job twice creates exactly one DocumentReference (and one of everything else)', async () => {
    const job = buildDeliveryJob(buildSignedNotePayload());
    const deliverer = fx.deliverer();
    const first = delivered(await deliverer.deliver(job, signal()));
    const second = delivered(await deliverer.deliver({ ...job, attempt: 2 }, signal()));
    assert.deepEqual(
      second.resources.map((r) => r.id),
      first.resources.map((r) => r.id),
    );
    assert.equal((await fx.search('DocumentReference', `identifier=urn:ambient-scribe:note|${job.idempotencyKey}`)).length, 1);
    assert.equal((await fx.search('Provenance', `_tag=urn:ambient-scribe:note-provenance|${job.idempotencyKey}`)).length, 1);
    for (const c of FIXTURE_CODES)
      assert.equal(
        (await fx.search('Condition', `identifier=urn:ambient-scribe:note-condition|${job.idempotencyKey}:${c.code}`)).length,
        1,
      );
  });

  test('a note with ten accepted codes travels in one transaction of twelve conditional creates', async () => {
    const codes = [
      ...FIXTURE_CODES,
      { code: 'E78.5', description: 'Hyperlipidemia, unspecified' },
      { code: 'M54.50', description: 'Low back pain, unspecified' },
      { code: 'F41.1', description: 'Generalized anxiety disorder' },
      { code: 'K21.9', description: 'Gastro-esophageal reflux disease without esophagitis' },
      { code: 'E66.9', description: 'Obesity, unspecified' },
      { code: 'N39.0', description: 'Urinary tract infection, site not specified' },
      { code: 'G47.00', description: 'Insomnia, unspecified' },
      { code: 'Z79.84', description: 'Long term (current) use of oral hypoglycemic drugs' },
    ];
    const job = buildDeliveryJob(buildSignedNotePayload({ codes }));
    const receipt = delivered(await fx.deliverer().deliver(job, signal()));
    assert.equal(receipt.resources.filter((r) => r.type === 'Condition').length, 10);
    const again = delivered(await fx.deliverer().deliver(job, signal()));
    assert.deepEqual(again.resources, receipt.resources);
    if (existsSync(ICD_ORDER_FILE)) for (const c of codes) assert.equal(officialDescription(c.code), c.description, c.code);
  });

  test('the server refusing the note (OperationOutcome 422) ends as failed with the issue text', async () => {
    const before = fx.sandbox.repository.count('DocumentReference');
    const job = buildDeliveryJob(buildSignedNotePayload({ patientId: 'sbx-patient-unknown', encounterId: null }));
    const outcome = await fx.deliverer({ organizationId: 'sbx-clinic' }).deliver(job, signal());
    assert.equal(outcome.kind, 'failed');
    assert.ok(outcome.kind === 'failed');
    assert.equal(outcome.code, 'rejected');
    assert.match(outcome.reason, /HTTP 422/);
    assert.match(outcome.reason, /Referenced Patient does not exist on this server/);
    assert.match(outcome.reason, /Bundle\.entry\[0\]\.resource\.subject/);
    assert.equal(fx.sandbox.repository.count('DocumentReference'), before, 'nothing was stored');
  });

  test('a note that fails US Core validation is not sent at all', async () => {
    const before = fx.sandbox.repository.counts();
    const job = buildDeliveryJob(buildSignedNotePayload({ codes: [{ code: 'E11.65', description: '' }] }));
    const outcome = await fx.deliverer({ organizationId: 'sbx-clinic' }).deliver(job, signal());
    assert.equal(outcome.kind, 'failed');
    assert.ok(outcome.kind === 'failed');
    assert.equal(outcome.code, 'invalid_resource');
    assert.match(outcome.reason, /Condition E11\.65: Condition\.code: An ICD-10-CM coding with its official display is required/);
    assert.deepEqual(fx.sandbox.repository.counts(), before);
  });

  test('a Provenance without an organization is refused before sending (provenance-1)', () => {
    const deliverer = fx.deliverer();
    const { problems } = deliverer.prepare(buildDeliveryJob(buildSignedNotePayload()), undefined);
    assert.ok(
      problems.some((p) => /provenance-1/.test(p)),
      problems.join('\n'),
    );
  });

  test('no patient data reaches the logs', () => {
    const logs = fx.logger.lines.join('\n');
    assert.ok(fx.logger.lines.length > 0);
    for (const secret of [SENTINEL.name, SENTINEL.mrn, SENTINEL.birthDate, 'sbx-patient-1', 'Referenced Patient', 'hyperglycemia']) {
      assert.ok(!logs.includes(secret), `logs must not contain ${secret}`);
    }
  });
});

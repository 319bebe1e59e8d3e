import assert from 'node:assert/strict';
import { beforeAll, describe, test } from 'vitest';
import type { Condition, DocumentReference, Provenance, Resource } from '@medplum/fhirtypes';
import { fixUpProvenanceProfile, loadUsCoreProfiles, US_CORE } from '../../../../main/fhir/us-core-profiles.js';
import type { ProfileSet } from '../../../../main/fhir/us-core-profiles.js';
import { createResourceValidator, errorsOf } from '../../../../main/fhir/us-core-validation.js';
import type { ResourceValidator } from '../../../../main/fhir/us-core-validation.js';

const doc = (overrides: Partial<DocumentReference> = {}): DocumentReference => ({
  resourceType: 'DocumentReference',
  status: 'current',
  type: { coding: [{ system: 'http://loinc.org', code: '11506-3' }] },
  category: [{ coding: [{ system: 'http://hl7.org/fhir/us/core/CodeSystem/us-core-documentreference-category', code: 'clinical-note' }] }],
  subject: { reference: 'Patient/p1' },
  content: [{ attachment: { contentType: 'text/plain', data: Buffer.from('note').toString('base64') } }],
  ...overrides,
});

const condition = (overrides: Partial<Condition> = {}): Condition => ({
  resourceType: 'Condition',
  clinicalStatus: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/condition-clinical', code: 'active' }] },
  verificationStatus: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/condition-ver-status', code: 'confirmed' }] },
  category: [{ coding: [{ system: 'http://terminology.hl7.org/CodeSystem/condition-category', code: 'encounter-diagnosis' }] }],
  code: { coding: [{ system: 'http://hl7.org/fhir/sid/icd-10-cm', code: 'I10', display: 'Essential (primary) hypertension' }] },
  subject: { reference: 'Patient/p1' },
  ...overrides,
});

const provenance = (overrides: Partial<Provenance> = {}): Provenance => ({
  resourceType: 'Provenance',
  target: [{ reference: 'DocumentReference/d1' }],
  recorded: '2026-11-21T10:00:00Z',
  agent: [
    {
      type: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/provenance-participant-type', code: 'author' }] },
      who: { reference: 'Practitioner/x' },
      onBehalfOf: { reference: 'Organization/o' },
    },
  ],
  ...overrides,
});

describe('US Core 8.0.0 validation', () => {
  let profiles: ProfileSet;
  let validator: ResourceValidator;
  const messages = (r: Resource, mode: 'incoming' | 'outgoing' = 'incoming') =>
    errorsOf(validator.validate(r, { mode })).map((i) => `${i.expression}: ${i.message}`);
  beforeAll(() => {
    profiles = loadUsCoreProfiles();
    validator = createResourceValidator(profiles);
  });

  test('loads the seven profiles, us-core-provenance only after the fix-up', () => {
    assert.equal(profiles.source, 'us-core-8.0.0');
    assert.equal(profiles.absentReason, undefined);
    assert.equal(profiles.profileFor(provenance())?.url, US_CORE.provenance);
    const fixed = profiles.profileFor(provenance())!;
    assert.ok(fixed.snapshot?.element?.some((e) => e.id === 'Provenance.entity.agent.who'));
    assert.ok(!fixed.snapshot?.element?.some((e) => e.path === 'Provenance.entity.agent' && e.contentReference));
    assert.equal(fixUpProvenanceProfile(fixed), fixed, 'the fix-up is idempotent');
  });

  test('well-formed resources pass', () => {
    assert.deepEqual(messages(doc()), []);
    assert.deepEqual(messages(condition()), []);
    assert.deepEqual(messages(provenance()), []);
  });

  test('catches what Medplum alone misses: codes outside required value sets', () => {
    assert.match(
      messages(doc({ status: 'draft' as DocumentReference['status'] })).join(),
      /DocumentReference\.status: Code not in the required value set document-reference-status/,
    );
    assert.match(
      messages(
        condition({
          clinicalStatus: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/condition-clinical', code: 'sort-of' }] },
        }),
      ).join(),
      /condition-clinical/,
    );
    assert.match(
      messages(
        doc({
          category: [{ coding: [{ system: 'http://hl7.org/fhir/us/core/CodeSystem/us-core-documentreference-category', code: 'x' }] }],
        }),
      ).join(),
      /slice uscore/,
    );
  });

  test('catches a document type that is not LOINC', () => {
    assert.match(messages(doc({ type: { coding: [{ system: 'http://snomed.info/sct', code: '1' }] } })).join(), /LOINC document code/);
    assert.deepEqual(
      messages(doc({ type: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/v3-NullFlavor', code: 'UNK' }] } })),
      [],
    );
  });

  test('catches missing attachment content (us-core-6), media type, and a hash or size that does not match', () => {
    assert.match(messages(doc({ content: [{ attachment: { contentType: 'text/plain' } }] })).join(), /us-core-6/);
    assert.match(messages(doc({ content: [{ attachment: { data: 'bm90ZQ==' } }] })).join(), /media type/);
    assert.match(
      messages(doc({ content: [{ attachment: { contentType: 'text/plain', data: 'bm90ZQ==', hash: 'AAAA' } }] })).join(),
      /hash does not match/,
    );
    assert.match(
      messages(doc({ content: [{ attachment: { contentType: 'text/plain', data: 'bm90ZQ==', size: 99 } }] })).join(),
      /size does not match/,
    );
  });

  test('catches references to the wrong kind of resource, including in bundles and contained resources', () => {
    assert.match(
      messages(doc({ subject: { reference: 'Organization/o' } })).join(),
      /DocumentReference\.subject: Reference to a Organization/,
    );
    assert.match(
      messages(condition({ encounter: { reference: 'Patient/p1' } })).join(),
      /Condition\.encounter: Reference to a Patient; expected Encounter/,
    );
    const urn = 'urn:uuid:11111111-2222-4333-8444-555555555555';
    const inBundle = errorsOf(validator.validate(doc({ subject: { reference: urn } }), { bundleTypes: new Map([[urn, 'Encounter']]) }));
    assert.match(inBundle.map((i) => i.message).join(), /Reference to a Encounter/);
    const unknownUrn = errorsOf(validator.validate(doc({ subject: { reference: urn } }), { bundleTypes: new Map() }));
    assert.match(unknownUrn.map((i) => i.message).join(), /cannot be resolved/);
  });

  test('enforces provenance-1 (a practitioner or device agent acts on behalf of an organization)', () => {
    const noOrg = provenance({
      agent: [
        {
          type: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/provenance-participant-type', code: 'author' }] },
          who: { reference: 'Practitioner/x' },
        },
      ],
    });
    assert.match(messages(noOrg).join(), /provenance-1/);
    const device = provenance({
      contained: [{ resourceType: 'Device', id: 'ai' }],
      agent: [
        {
          type: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/provenance-participant-type', code: 'assembler' }] },
          who: { reference: '#ai' },
        },
      ],
    });
    assert.match(messages(device).join(), /provenance-1/);
  });

  test('checks ICD-10-CM code shape', () => {
    assert.match(
      messages(condition({ code: { coding: [{ system: 'http://hl7.org/fhir/sid/icd-10-cm', code: 'E11-65', display: 'x' }] } })).join(),
      /ICD-10-CM/,
    );
  });

  test('outgoing notes must carry their content inline, their hash, category and idempotency identifier', () => {
    const out = messages(
      doc({
        content: [{ attachment: { contentType: 'text/plain', url: 'https://ehr.example.org/binary/1' } }],
        category: [{ text: 'note' }],
      }),
      'outgoing',
    ).join('\n');
    assert.match(out, /inline as attachment data/);
    assert.match(out, /carry its hash/);
    assert.match(out, /clinical-note category/);
    assert.match(out, /idempotency identifier/);
  });

  test('messages name elements and rules, never values', () => {
    const secret = 'Zzyzx-Secret-Value';
    const all = messages(doc({ status: secret as DocumentReference['status'], subject: { reference: `Organization/${secret}` } })).join(
      '\n',
    );
    assert.ok(all.length > 0);
    assert.ok(!all.includes(secret));
  });

  test('without the profiles folder it says so and still validates base R4 and our own rules', () => {
    const base = createResourceValidator(loadUsCoreProfiles('/nonexistent/us-core'));
    assert.equal(base.profiles.source, 'base-r4');
    assert.match(base.profiles.absentReason ?? '', /not found/);
    assert.match(
      errorsOf(base.validate(doc({ bogus: 1 } as Partial<DocumentReference>)))
        .map((i) => i.message)
        .join(),
      /bogus/,
    );
    assert.match(
      errorsOf(base.validate(doc({ type: { text: 'x' } })))
        .map((i) => i.message)
        .join(),
      /LOINC/,
    );
  });
});

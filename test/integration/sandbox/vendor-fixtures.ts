import assert from 'node:assert/strict';
import type { Bundle, CapabilityStatement, DocumentReference, OperationOutcome } from '@medplum/fhirtypes';
import type { FhirAnswer } from '../../helpers/fhir-sandbox.js';

/** Patient 2 of the seed and today's encounter of that patient (sbx-encounter-2); encounter 1 is another patient's. */
export const PATIENT = 'sbx-patient-2';
export const ENCOUNTER = 'sbx-encounter-2';
export const OTHER_PATIENTS_ENCOUNTER = 'sbx-encounter-1';
export const OUR_ID = { system: 'urn:ambient-scribe:note', value: 'note-key-1' };
export const OUR_TAG = { system: 'urn:ambient-scribe:job', code: 'job-1' };

export const base64 = (text: string) => Buffer.from(text, 'utf8').toString('base64');

/** A signed progress note as the app sends it, with what the vendor may drop (identifier, tag, category, description). */
export function note(overrides: Partial<DocumentReference> = {}): DocumentReference {
  return {
    resourceType: 'DocumentReference',
    meta: { tag: [OUR_TAG] },
    identifier: [OUR_ID],
    status: 'current',
    docStatus: 'final',
    type: { coding: [{ system: 'http://loinc.org', code: '11506-3', display: 'Progress note' }] },
    category: [
      { coding: [{ system: 'http://hl7.org/fhir/us/core/CodeSystem/us-core-documentreference-category', code: 'clinical-note' }] },
    ],
    subject: { reference: `Patient/${PATIENT}` },
    date: '2026-12-07T10:30:00Z',
    description: 'Progress note',
    author: [{ reference: 'Practitioner/sbx-practitioner-2' }],
    content: [{ attachment: { contentType: 'text/plain; charset=utf-8', data: base64('Synthetic note.'), title: 'Progress note' } }],
    context: {
      encounter: [{ reference: `Encounter/${ENCOUNTER}` }],
      period: { start: '2026-12-07T09:30:00Z', end: '2026-12-07T09:55:00Z' },
    },
    ...overrides,
  };
}

/** The one issue of a refusal, after checking status, rule header and shape. */
export function refused(answer: FhirAnswer, status: number, rule: string): NonNullable<OperationOutcome['issue']>[number] {
  assert.equal(answer.status, status, answer.text);
  assert.equal(answer.headers.get('x-sandbox-rule'), rule);
  const outcome = answer.json as unknown as OperationOutcome;
  assert.equal(outcome.resourceType, 'OperationOutcome');
  assert.equal(outcome.issue?.length, 1);
  return outcome.issue[0]!;
}

export const idFromLocation = (answer: FhirAnswer) =>
  /DocumentReference\/([^/]+)|Condition\/([^/]+)|Provenance\/([^/]+)/
    .exec(answer.headers.get('location') ?? '')
    ?.slice(1)
    .find(Boolean);

export const entriesOf = (answer: FhirAnswer) => ((answer.json as unknown as Bundle).entry ?? []).map((e) => e.resource!);
export const selfLink = (answer: FhirAnswer) => (answer.json as unknown as Bundle).link?.find((l) => l.relation === 'self')?.url ?? '';

export function capabilityOf(cs: CapabilityStatement, type: string) {
  const resource = cs.rest?.[0]?.resource?.find((r) => r.type === type);
  return {
    interactions: (resource?.interaction ?? []).map((i) => i.code).sort(),
    conditionalCreate: resource?.conditionalCreate ?? false,
    searchParams: (resource?.searchParam ?? []).map((p) => p.name),
  };
}

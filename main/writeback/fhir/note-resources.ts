import type { Bundle, BundleEntry, Condition, Device, Provenance } from '@medplum/fhirtypes';
import type { DeliveryJob } from '../delivery.js';
import { FHIR_SYSTEMS } from '../../fhir/fhir-systems.js';
import type { NoteResourceOptions, NoteResources, PlannedEntry } from './resource-plan.js';
import { PROGRESS_NOTE, signedTextDocument, signedTextReferences, stableUuid } from './signed-document.js';

/**
 * The FHIR resources one signed note becomes: a DocumentReference (the note, LOINC 11506-3 progress
 * note, inline as text/plain), a Condition per accepted ICD-10-CM code (encounter diagnosis), and a
 * Provenance naming the signing clinician and marking the AI-assisted drafting. Every resource
 * carries an identifier (or, for Provenance, a tag) derived from the job's idempotency key, and is
 * created with `ifNoneExist` on it, so a resend finds what the first send made instead of copying it.
 */
const AI_ASSERTED = { system: FHIR_SYSTEMS.observationValue, code: 'AIAST', display: 'Artificial Intelligence asserted' } as const;
const SCRIBE_DEVICE_ID = 'ambient-scribe';

/** The key travels in search strings (`identifier=system|KEY`): it must need no escaping. */
export const IDEMPOTENCY_KEY = /^[A-Za-z0-9._:-]{1,128}$/;

export function conditionIdentifierValue(key: string, code: string): string {
  return `${key}:${code}`;
}

export function buildNoteResources(job: DeliveryJob, options: NoteResourceOptions): NoteResources {
  const { payload, idempotencyKey: key } = job;
  if (!IDEMPOTENCY_KEY.test(key)) throw new Error('idempotency key has characters a FHIR search cannot carry');
  const signedAt = payload.attestation.signedAt;
  const refs = signedTextReferences(job, options);
  const { patient, encounter, clinician, organization } = refs;
  const docEntry = signedTextDocument(job, refs, {
    title: PROGRESS_NOTE.display,
    description: `Progress note drafted with ${options.softwareName} and signed by the clinician`,
    meta: { security: [AI_ASSERTED] },
  });

  // One Condition per distinct code: two entries with one identifier would be one conditional create twice.
  const distinct = [...new Map(payload.codes.map((c) => [c.code, c])).values()];
  const conditions: PlannedEntry[] = distinct.map((c) => {
    const value = conditionIdentifierValue(key, c.code);
    const condition: Condition = {
      resourceType: 'Condition',
      meta: { security: [AI_ASSERTED] },
      identifier: [{ system: FHIR_SYSTEMS.conditionIdentifier, value }],
      clinicalStatus: { coding: [{ system: FHIR_SYSTEMS.conditionClinical, code: 'active', display: 'Active' }] },
      verificationStatus: { coding: [{ system: FHIR_SYSTEMS.conditionVerification, code: 'confirmed', display: 'Confirmed' }] },
      category: [{ coding: [{ system: FHIR_SYSTEMS.conditionCategory, code: 'encounter-diagnosis', display: 'Encounter Diagnosis' }] }],
      code: { coding: [{ system: FHIR_SYSTEMS.icd10cm, code: c.code, display: c.description }], text: c.description },
      subject: patient,
      ...(encounter ? { encounter } : {}),
      recordedDate: signedAt,
      recorder: clinician,
      asserter: clinician,
    };
    return {
      fullUrl: stableUuid(key, `condition:${c.code}`),
      resource: condition,
      ifNoneExist: `identifier=${FHIR_SYSTEMS.conditionIdentifier}|${value}`,
    };
  });

  const device: Device = {
    resourceType: 'Device',
    id: SCRIBE_DEVICE_ID,
    deviceName: [{ name: options.softwareName, type: 'manufacturer-name' }],
    version: [{ value: options.softwareVersion }],
    type: { text: 'AI clinical documentation assistant (ambient listening, note drafting, code suggestion)' },
  };
  const provenance: Provenance = {
    resourceType: 'Provenance',
    meta: { tag: [{ system: FHIR_SYSTEMS.provenanceTag, code: key }], security: [AI_ASSERTED] },
    contained: [device],
    target: [{ reference: docEntry.fullUrl }, ...conditions.map((c) => ({ reference: c.fullUrl }))],
    recorded: signedAt,
    activity: { coding: [{ system: FHIR_SYSTEMS.dataOperation, code: 'CREATE', display: 'create' }] },
    agent: [
      {
        type: { coding: [{ system: FHIR_SYSTEMS.provenanceParticipant, code: 'author', display: 'Author' }] },
        who: clinician,
        ...(organization ? { onBehalfOf: organization } : {}),
      },
      {
        // The draft and the code suggestions came from software; the clinician reviewed and signed.
        type: {
          coding: [{ system: FHIR_SYSTEMS.provenanceParticipant, code: 'assembler', display: 'Assembler' }],
          text: 'AI-assisted drafting',
        },
        who: { reference: `#${SCRIBE_DEVICE_ID}`, display: options.softwareName },
        ...(organization ? { onBehalfOf: organization } : {}),
      },
    ],
  };
  const provEntry: PlannedEntry = {
    fullUrl: stableUuid(key, 'provenance'),
    resource: provenance,
    ifNoneExist: `_tag=${FHIR_SYSTEMS.provenanceTag}|${key}`,
  };
  return { documentReference: docEntry, conditions, provenance: provEntry, entries: [docEntry, ...conditions, provEntry] };
}

export function toTransactionBundle(resources: NoteResources): Bundle {
  return {
    resourceType: 'Bundle',
    type: 'transaction',
    entry: resources.entries.map((e): BundleEntry => ({
      fullUrl: e.fullUrl,
      resource: e.resource,
      request: { method: 'POST', url: e.resource.resourceType, ifNoneExist: e.ifNoneExist },
    })),
  };
}

/** Resource types by placeholder, for validating references inside the bundle. */
export function bundleTypesOf(resources: NoteResources): Map<string, string> {
  return new Map(resources.entries.map((e) => [e.fullUrl, e.resource.resourceType]));
}

import { createHash } from 'node:crypto';
import type { DocumentReference, Encounter, Meta, Organization, Patient, Period, Practitioner, Reference } from '@medplum/fhirtypes';
import type { DeliveryJob } from '../delivery.js';
import { FHIR_SYSTEMS } from '../../fhir/fhir-systems.js';
import type { NoteResourceOptions, PlannedEntry } from './resource-plan.js';

export const PROGRESS_NOTE = { system: FHIR_SYSTEMS.loinc, code: '11506-3', display: 'Progress note' } as const;
export const CLINICAL_NOTE = { system: FHIR_SYSTEMS.usCoreDocumentCategory, code: 'clinical-note', display: 'Clinical Note' } as const;

/** A UUID derived from the key and a role, so placeholders are the same on every resend. */
export function stableUuid(key: string, role: string): string {
  const h = createHash('sha256').update(`${key}\u0000${role}`).digest('hex');
  return `urn:uuid:${h.slice(0, 8)}-${h.slice(8, 12)}-5${h.slice(13, 16)}-${((parseInt(h[16]!, 16) & 0x3) | 0x8).toString(16)}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

/** Who and what a signed text is about, as references: the same for a note and its addenda. */
export interface SignedTextReferences {
  readonly patient: Reference<Patient>;
  readonly encounter: Reference<Encounter> | undefined;
  readonly clinician: Reference<Practitioner>;
  readonly organization: Reference<Organization> | undefined;
  /** The encounter's period (US Core must-support context.period; Oracle requires its end). */
  readonly encounterPeriod: Period | undefined;
}

export function signedTextReferences(job: DeliveryJob, options: NoteResourceOptions): SignedTextReferences {
  const { payload } = job;
  return {
    patient: { reference: `Patient/${payload.patient.id}` },
    encounter: payload.encounterId ? { reference: `Encounter/${payload.encounterId}` } : undefined,
    clinician: {
      reference: `Practitioner/${payload.practitioner.id}`,
      ...(payload.practitioner.name ? { display: payload.practitioner.name } : {}),
    },
    organization: options.organizationId ? { reference: `Organization/${options.organizationId}` } : undefined,
    encounterPeriod: options.encounterPeriod,
  };
}

/**
 * The signed text as a DocumentReference (LOINC progress note, inline text/plain with its hash),
 * created on condition of an identifier from the job's key so a resend finds the first one.
 */
export function signedTextDocument(
  job: DeliveryJob,
  refs: SignedTextReferences,
  text: { readonly title: string; readonly description: string; readonly meta?: Meta; readonly relatesTo?: DocumentReference['relatesTo'] },
): PlannedEntry {
  const key = job.idempotencyKey;
  const signedAt = job.payload.attestation.signedAt;
  const bytes = Buffer.from(job.payload.noteText, 'utf8');
  const { patient, encounter, clinician, organization } = refs;
  const period = refs.encounterPeriod;
  const documentReference: DocumentReference = {
    resourceType: 'DocumentReference',
    ...(text.meta ? { meta: text.meta } : {}),
    identifier: [{ system: FHIR_SYSTEMS.noteIdentifier, value: key }],
    status: 'current',
    docStatus: 'final',
    type: { coding: [PROGRESS_NOTE], text: PROGRESS_NOTE.display },
    category: [{ coding: [CLINICAL_NOTE], text: CLINICAL_NOTE.display }],
    subject: patient,
    date: signedAt,
    author: [clinician],
    authenticator: clinician,
    ...(organization ? { custodian: organization } : {}),
    ...(text.relatesTo ? { relatesTo: text.relatesTo } : {}),
    description: text.description,
    content: [
      {
        attachment: {
          contentType: 'text/plain; charset=utf-8',
          data: bytes.toString('base64'),
          size: bytes.length,
          // FHIR R4 defines Attachment.hash as the base64 SHA-1 of the data.
          hash: createHash('sha1').update(bytes).digest('base64'),
          title: text.title,
          creation: signedAt,
        },
        format: {
          system: 'http://ihe.net/fhir/ihe.formatcode.fhir/CodeSystem/formatcode',
          code: 'urn:ihe:iti:xds:2017:mimeTypeSufficient',
          display: 'mimeType Sufficient',
        },
      },
    ],
    ...(encounter
      ? { context: { encounter: [encounter], period: { ...(period?.start ? { start: period.start } : {}), end: period?.end ?? signedAt } } }
      : {}),
  };
  return {
    fullUrl: stableUuid(key, 'document'),
    resource: documentReference,
    ifNoneExist: `identifier=${FHIR_SYSTEMS.noteIdentifier}|${key}`,
  };
}

import type { DocumentReference, Provenance, Reference } from '@medplum/fhirtypes';
import type { DeliveryJob } from '../delivery.js';
import { FhirDeliveryError } from '../../fhir/fhir-errors.js';
import { FHIR_SYSTEMS } from '../../fhir/fhir-systems.js';
import { IDEMPOTENCY_KEY } from './note-resources.js';
import { signedTextDocument, signedTextReferences, stableUuid } from './signed-document.js';
import type { NoteResourceOptions, NoteResources, PlannedEntry } from './resource-plan.js';

/** The original note's DocumentReference id, from the receipt of its delivered job. */
export function parentDocumentId(job: DeliveryJob): string {
  const receipt = job.parent?.receipt;
  const doc = receipt?.target === 'fhir' ? receipt.resources.find((r) => r.type === 'DocumentReference') : undefined;
  if (!doc) {
    throw new FhirDeliveryError(
      'failed',
      'parent_not_in_fhir',
      'The original note has no DocumentReference in this EHR to append the addendum to; it was not sent.',
    );
  }
  return doc.id;
}

/**
 * An addendum as FHIR: a new DocumentReference (same LOINC type as the note, its own identifier
 * from the addendum job's key) that `appends` the original DocumentReference, and a Provenance
 * naming the signing clinician. The addendum is the clinician's own words, so neither carries the
 * AI-asserted label nor a software agent; no Conditions (an addendum adds text, not codes).
 * Both are conditional creates on the addendum's key, so a resend makes nothing twice.
 */
export function buildAddendumResources(job: DeliveryJob, options: NoteResourceOptions): NoteResources {
  const { payload, idempotencyKey: key } = job;
  if (!payload.addendum) throw new Error('buildAddendumResources: not an addendum');
  if (!IDEMPOTENCY_KEY.test(key)) throw new Error('idempotency key has characters a FHIR search cannot carry');
  const original: Reference<DocumentReference> = { reference: `DocumentReference/${parentDocumentId(job)}` };
  const signedAt = payload.attestation.signedAt;
  const refs = signedTextReferences(job, options);
  const { clinician, organization } = refs;
  const title = `Addendum ${payload.addendum.seq} to progress note`;
  const docEntry = signedTextDocument(job, refs, {
    title,
    description: `${title}, written and signed by the clinician`,
    relatesTo: [{ code: 'appends', target: original }],
  });

  const provenance: Provenance = {
    resourceType: 'Provenance',
    meta: { tag: [{ system: FHIR_SYSTEMS.provenanceTag, code: key }] },
    target: [{ reference: docEntry.fullUrl }],
    recorded: signedAt,
    activity: { coding: [{ system: FHIR_SYSTEMS.dataOperation, code: 'APPEND', display: 'append' }] },
    agent: [
      {
        type: { coding: [{ system: FHIR_SYSTEMS.provenanceParticipant, code: 'author', display: 'Author' }] },
        who: clinician,
        ...(organization ? { onBehalfOf: organization } : {}),
      },
    ],
  };
  const provEntry: PlannedEntry = {
    fullUrl: stableUuid(key, 'provenance'),
    resource: provenance,
    ifNoneExist: `_tag=${FHIR_SYSTEMS.provenanceTag}|${key}`,
  };
  return { documentReference: docEntry, conditions: [], provenance: provEntry, entries: [docEntry, provEntry] };
}

/** Code systems and identifier systems the FHIR write-back uses, in one place. */
export const FHIR_SYSTEMS = {
  loinc: 'http://loinc.org',
  icd10cm: 'http://hl7.org/fhir/sid/icd-10-cm',
  nullFlavor: 'http://terminology.hl7.org/CodeSystem/v3-NullFlavor',
  usCoreDocumentCategory: 'http://hl7.org/fhir/us/core/CodeSystem/us-core-documentreference-category',
  conditionCategory: 'http://terminology.hl7.org/CodeSystem/condition-category',
  conditionClinical: 'http://terminology.hl7.org/CodeSystem/condition-clinical',
  conditionVerification: 'http://terminology.hl7.org/CodeSystem/condition-ver-status',
  provenanceParticipant: 'http://terminology.hl7.org/CodeSystem/provenance-participant-type',
  dataOperation: 'http://terminology.hl7.org/CodeSystem/v3-DataOperation',
  /** HL7 v3 ObservationValue: holds the AIAST ("artificial intelligence asserted") security label. */
  observationValue: 'http://terminology.hl7.org/CodeSystem/v3-ObservationValue',
  /** Business identifier of a delivered note: its value is the outbox job's idempotency key. */
  noteIdentifier: 'urn:ambient-scribe:note',
  conditionIdentifier: 'urn:ambient-scribe:note-condition',
  /** R4 Provenance has no identifier: its idempotency key travels as a meta.tag (searchable as _tag). */
  provenanceTag: 'urn:ambient-scribe:note-provenance',
} as const;

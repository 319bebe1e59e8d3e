import type { Condition, DocumentReference, Period, Provenance } from '@medplum/fhirtypes';

/** What a signed note or addendum becomes in FHIR, in write order, before it is sent. */
export interface NoteResourceOptions {
  /** The practice's Organization id in the EHR (Provenance agents act on its behalf). */
  readonly organizationId: string | undefined;
  /** The encounter's period as the EHR has it: the note's context.period (its end, if open, is the signing time). */
  readonly encounterPeriod?: Period | undefined;
  readonly softwareName: string;
  readonly softwareVersion: string;
}

export interface PlannedEntry {
  /** urn:uuid placeholder, stable for the job so a resend builds the same bundle. */
  readonly fullUrl: string;
  readonly resource: DocumentReference | Condition | Provenance;
  readonly ifNoneExist: string;
}

export interface NoteResources {
  readonly documentReference: PlannedEntry;
  readonly conditions: readonly PlannedEntry[];
  /** Absent where the write plan leaves it out (the EHR takes none). */
  readonly provenance: PlannedEntry | undefined;
  /** In write order: what the others point at comes first. */
  readonly entries: readonly PlannedEntry[];
}

import type { Attestation, CodeSuggestion, Note } from '../../shared/domain/note.js';
import type { PatientContext } from '../../shared/domain/visit.js';

/**
 * What the outbox hands a delivery target: everything needed to write one signed note, already
 * decrypted in memory. The outbox stores it encrypted; targets never persist it themselves except
 * as the EHR copy.
 */
export interface SignedNotePayload {
  readonly visitId: string;
  readonly patient: PatientContext & { readonly id: string };
  readonly encounterId?: string | undefined;
  readonly practitioner: { readonly id: string; readonly name?: string | undefined };
  readonly note: Note;
  /** The note as plain text, exactly what the clinician signed (its SHA-256 is attestation.noteSha256). */
  readonly noteText: string;
  readonly attestation: Attestation;
  /** Accepted codes only (none for an addendum: it adds text, not diagnoses). */
  readonly codes: readonly CodeSuggestion[];
  /**
   * Set when this is an addendum to a signed note: `noteText` and `attestation` are then the
   * addendum's, `note` the original signed note, and the parent is the original note's job.
   */
  readonly addendum?: { readonly seq: number; readonly parentJobId: string; readonly parentIdempotencyKey: string } | undefined;
}

export interface DeliveryJob {
  readonly jobId: string;
  /** Stable for the job's whole life: FHIR business identifier / HL7 MSH-10 / file name. A resend reuses it. */
  readonly idempotencyKey: string;
  readonly attempt: number;
  readonly payload: SignedNotePayload;
  /** For an addendum: the original note's delivered job (an addendum is sent only after it). */
  readonly parent?: ParentDelivery | undefined;
}

export interface ParentDelivery {
  readonly jobId: string;
  readonly idempotencyKey: string;
  readonly target: DeliveryTarget;
  readonly receipt: DeliveryReceipt;
}

export type DeliveryTarget = 'fhir' | 'hl7v2' | 'file-drop';

export type DeliveryReceipt =
  | {
      readonly target: 'fhir';
      readonly resources: readonly { readonly type: string; readonly id: string; readonly versionId?: string | undefined }[];
    }
  | {
      readonly target: 'hl7v2';
      readonly ackCode: 'AA' | 'CA';
      readonly messageControlId: string;
      readonly ackControlId?: string | undefined;
    }
  | { readonly target: 'file-drop'; readonly files: readonly string[] };

/**
 * retry: a transient failure (timeout, dropped connection, 408/429/5xx, HL7 AE); the outbox backs off.
 * failed: permanent (400/404/409/412/422, HL7 AR, validation); a person must act. `reason` is shown
 * to people and may quote the server; it is stored encrypted and never logged.
 * unreachable: the target could not be reached at all; routing may fall back to another target.
 */
export type DeliveryOutcome =
  | { readonly kind: 'delivered'; readonly receipt: DeliveryReceipt }
  | { readonly kind: 'retry'; readonly reason: string; readonly code: string; readonly retryAfterMs?: number | undefined }
  | { readonly kind: 'unreachable'; readonly reason: string; readonly code: string }
  | { readonly kind: 'failed'; readonly reason: string; readonly code: string };

export interface Deliverer {
  readonly target: DeliveryTarget;
  deliver(job: DeliveryJob, signal: AbortSignal): Promise<DeliveryOutcome>;
}

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
  /** What earlier attempts of this job sent and what the server confirmed (kept in the store by the outbox). */
  readonly ledger?: WriteLedger | undefined;
}

/** One resource a job writes, as the ledger knows it. */
export interface LedgerEntry {
  readonly entry: string;
  readonly resourceType: string;
  /** sent: the request went out and no answer was recorded; created: the server answered with its id. */
  readonly state: 'sent' | 'created';
  readonly resourceId?: string | undefined;
}

/**
 * The write ledger of one job (main/store migration 011). `sent` is committed before the request goes
 * out, so a crash or a lost answer leaves a record that the resource may be on the server.
 */
export interface WriteLedger {
  entries(): ReadonlyMap<string, LedgerEntry>;
  sent(entry: string, resourceType: string): void;
  created(entry: string, resourceType: string, resourceId: string): void;
  /** Found absent (or a person confirmed it never arrived): it may be sent again. */
  cleared(entry: string): void;
}

/** A ledger that lives as long as one delivery call: for previews and tools that send once. */
export function memoryWriteLedger(): WriteLedger {
  const entries = new Map<string, LedgerEntry>();
  return {
    entries: () => entries,
    sent: (entry, resourceType) => void entries.set(entry, { entry, resourceType, state: 'sent' }),
    created: (entry, resourceType, resourceId) => void entries.set(entry, { entry, resourceType, state: 'created', resourceId }),
    cleared: (entry) => void entries.delete(entry),
  };
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
      readonly skipped?: readonly { readonly type: string; readonly count: number; readonly why: string }[] | undefined;
      readonly confirmedBy?: string | undefined;
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
 * unknown: something was sent whose arrival the target cannot be asked about reliably: held for a
 * person to confirm (delivered or not), never resent blindly, never marked delivered.
 */
export type DeliveryOutcome =
  | { readonly kind: 'delivered'; readonly receipt: DeliveryReceipt }
  | { readonly kind: 'unknown'; readonly reason: string; readonly code: string }
  | { readonly kind: 'retry'; readonly reason: string; readonly code: string; readonly retryAfterMs?: number | undefined }
  | { readonly kind: 'unreachable'; readonly reason: string; readonly code: string }
  | { readonly kind: 'failed'; readonly reason: string; readonly code: string };

export interface Deliverer {
  readonly target: DeliveryTarget;
  deliver(job: DeliveryJob, signal: AbortSignal): Promise<DeliveryOutcome>;
}

import type { Attestation } from '../../shared/domain/note.js';
import type { SignedNotePayload } from '../writeback/delivery.js';
import { noteSha256 } from '../writeback/note-integrity.js';
import type { Signer, SignedContent } from './signed-content.js';

export interface Signature {
  /** The signer's statement: this revision's text (by its SHA-256), by whom, when. */
  readonly attestation: Attestation;
  /** What the outbox sends: the same text, the attestation, and who and what it is about. */
  readonly payload: SignedNotePayload;
}

/** The one builder of attestation and payload, for a note and an addendum alike. */
export function signatureOver(content: SignedContent, signer: Signer, at: Date): Signature {
  const { visit } = content;
  const attestation: Attestation = {
    visitId: visit.id,
    revision: content.revision,
    noteSha256: noteSha256(content.text),
    signedBy: signer.id,
    signedAt: at.toISOString(),
  };
  const payload: SignedNotePayload = {
    visitId: visit.id,
    patient: { ...visit.patient, id: visit.patientId },
    encounterId: visit.encounterId,
    practitioner: signer,
    note: content.note,
    noteText: content.text,
    attestation,
    codes: content.codes,
    ...(content.follows
      ? { addendum: { seq: content.seq, parentJobId: content.follows.jobId, parentIdempotencyKey: content.follows.idempotencyKey } }
      : {}),
  };
  return { attestation, payload };
}

import { createHash } from 'node:crypto';
import type { DeliveryOutcome, SignedNotePayload } from './delivery.js';

/** SHA-256 of the note text as UTF-8, hex: what an attestation's `noteSha256` covers. */
export function noteSha256(noteText: string): string {
  return createHash('sha256').update(noteText, 'utf8').digest('hex');
}

/**
 * A target sends only the text the clinician signed. If the payload's text does not hash to the
 * attestation, something between signing and sending changed it; sending it anyway would put
 * words in the clinician's mouth, so the job fails for a person to look at.
 */
export function signedTextMismatch(payload: SignedNotePayload): Extract<DeliveryOutcome, { kind: 'failed' }> | undefined {
  if (noteSha256(payload.noteText) === payload.attestation.noteSha256) return undefined;
  return {
    kind: 'failed',
    code: 'note_hash_mismatch',
    reason:
      'The note text does not match the signature (its SHA-256 differs from the attestation); it was not sent. Review and sign the note again.',
  };
}

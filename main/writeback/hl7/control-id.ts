import { createHash } from 'node:crypto';

/** MSH-10 (Message Control ID) is ST with a maximum length of 20 in v2.5.1. */
export const MAX_CONTROL_ID_LENGTH = 20;

const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

/**
 * The MSH-10 for a job: the first 100 bits of SHA-256 over the idempotency key, as 20 Crockford
 * base-32 characters. Our keys are UUIDs (36 characters), too long for MSH-10, and cutting them
 * would keep the low-entropy version nibbles; hashing keeps the id a pure function of the key, so
 * every resend of a job carries the same MSH-10 (the receiver deduplicates on it) and no two jobs
 * share one in practice (a collision among a billion jobs has odds near 4e-13). Upper-case
 * letters and digits only: no HL7 delimiter, nothing a receiver could fold or trim.
 */
export function messageControlId(idempotencyKey: string): string {
  return hashedId(idempotencyKey, MAX_CONTROL_ID_LENGTH);
}

/** TXA-12 and TXA-13 are EI with a maximum length of 30 in v2.5.1, for the whole field (id, `^`, namespace). */
export const MAX_DOCUMENT_NUMBER_LENGTH = 30;
/** 15 Crockford characters are 75 bits: a collision among ten million documents has odds near 1e-9. */
const MIN_DOCUMENT_ID_LENGTH = 15;

/**
 * TXA-12 (or, for an addendum, TXA-13) of a job: an EI of at most 30 characters, hashed from the
 * idempotency key like MSH-10 so every resend carries the same number. The sending application
 * namespaces it when the two fit in 30 characters with at least 15 for the id (a namespace of up to
 * 14 characters, AMBIENT_SCRIBE's length); a longer namespace is left out and MSH-3 names the sender.
 */
export function documentNumber(idempotencyKey: string, namespace: string): { readonly id: string; readonly namespace?: string } {
  const room = MAX_DOCUMENT_NUMBER_LENGTH - 1 - namespace.length;
  if (room < MIN_DOCUMENT_ID_LENGTH) return { id: hashedId(idempotencyKey, MAX_CONTROL_ID_LENGTH) };
  return { id: hashedId(idempotencyKey, Math.min(room, MAX_CONTROL_ID_LENGTH)), namespace };
}

function hashedId(idempotencyKey: string, length: number): string {
  if (idempotencyKey.length === 0) throw new RangeError('messageControlId: empty idempotency key');
  const digest = createHash('sha256').update(idempotencyKey, 'utf8').digest();
  let out = '';
  let buffer = 0;
  let bits = 0;
  for (const byte of digest) {
    buffer = (buffer << 8) | byte;
    bits += 8;
    while (bits >= 5 && out.length < length) {
      out += CROCKFORD[(buffer >>> (bits - 5)) & 31];
      bits -= 5;
    }
    buffer &= (1 << bits) - 1;
    if (out.length === length) break;
  }
  return out;
}

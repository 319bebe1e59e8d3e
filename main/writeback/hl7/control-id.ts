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
  if (idempotencyKey.length === 0) throw new RangeError('messageControlId: empty idempotency key');
  const digest = createHash('sha256').update(idempotencyKey, 'utf8').digest();
  let out = '';
  let buffer = 0;
  let bits = 0;
  for (const byte of digest) {
    buffer = (buffer << 8) | byte;
    bits += 8;
    while (bits >= 5 && out.length < MAX_CONTROL_ID_LENGTH) {
      out += CROCKFORD[(buffer >>> (bits - 5)) & 31];
      bits -= 5;
    }
    buffer &= (1 << bits) - 1;
    if (out.length === MAX_CONTROL_ID_LENGTH) break;
  }
  return out;
}

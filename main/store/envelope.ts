import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { IntegrityError } from './errors.js';

/**
 * AES-256-GCM envelope for one stored value: version (1 byte) | nonce (12) | tag (16) | ciphertext.
 * The associated data binds the value to its table, row and column, so a ciphertext copied to
 * another row or column fails to open just like an altered one.
 */
const VERSION = 1;
const NONCE_BYTES = 12;
const TAG_BYTES = 16;
const HEADER_BYTES = 1 + NONCE_BYTES + TAG_BYTES;

export interface ValueLocation {
  readonly table: string;
  readonly rowId: string;
  readonly column: string;
}

function associatedData(where: ValueLocation): Buffer {
  return Buffer.from(`scribe/v${VERSION}/${where.table}/${where.column}/${where.rowId}`, 'utf8');
}

export function seal(key: Buffer, plaintext: Buffer, where: ValueLocation): Buffer {
  const nonce = randomBytes(NONCE_BYTES);
  const cipher = createCipheriv('aes-256-gcm', key, nonce);
  cipher.setAAD(associatedData(where));
  const body = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  return Buffer.concat([Buffer.of(VERSION), nonce, cipher.getAuthTag(), body]);
}

export function open(key: Buffer, envelope: Buffer, where: ValueLocation): Buffer {
  if (envelope.length < HEADER_BYTES || envelope[0] !== VERSION) throw new IntegrityError(where);
  const decipher = createDecipheriv('aes-256-gcm', key, envelope.subarray(1, 1 + NONCE_BYTES));
  decipher.setAAD(associatedData(where));
  decipher.setAuthTag(envelope.subarray(1 + NONCE_BYTES, HEADER_BYTES));
  try {
    return Buffer.concat([decipher.update(envelope.subarray(HEADER_BYTES)), decipher.final()]);
  } catch (cause) {
    throw new IntegrityError(where, { cause });
  }
}

/** Seals and opens values with one data key; services see only this, never the key. */
export interface ValueCipher {
  seal(plaintext: Buffer, where: ValueLocation): Buffer;
  open(envelope: Buffer, where: ValueLocation): Buffer;
  sealJson(value: unknown, where: ValueLocation): Buffer;
  openJson(envelope: Buffer, where: ValueLocation): unknown;
}

export function createValueCipher(dataKey: Buffer): ValueCipher {
  if (dataKey.length !== 32) throw new Error('The data key must be 32 bytes.');
  const key = Buffer.from(dataKey);
  return {
    seal: (plaintext, where) => seal(key, plaintext, where),
    open: (envelope, where) => open(key, envelope, where),
    sealJson: (value, where) => seal(key, Buffer.from(JSON.stringify(value), 'utf8'), where),
    openJson: (envelope, where) => {
      const text = open(key, envelope, where).toString('utf8');
      try {
        return JSON.parse(text) as unknown;
      } catch (cause) {
        throw new IntegrityError(where, { cause });
      }
    },
  };
}

import { open, seal } from './envelope.js';
import { wrongKey } from './errors.js';
import type { KeyProviderKind } from './key-provider.js';

const where = (kind: KeyProviderKind) => ({ table: 'keyring', rowId: '1', column: `dek:${kind}` });

/** Wraps the data key under a key-encryption key; a wrong KEK fails GCM authentication on unwrap. */
export function wrapWithKek(kek: Buffer, dataKey: Buffer, kind: KeyProviderKind): Buffer {
  return seal(kek, dataKey, where(kind));
}

export function unwrapWithKek(kek: Buffer, blob: Buffer, kind: KeyProviderKind): Buffer {
  try {
    return open(kek, blob, where(kind));
  } catch {
    throw wrongKey();
  }
}

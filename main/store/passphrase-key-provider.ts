import { randomBytes, scryptSync } from 'node:crypto';
import { keyParamsDamaged, passphraseTooShort } from './errors.js';
import type { KeyProvider, WrappedKey } from './key-provider.js';
import { unwrapWithKek, wrapWithKek } from './kek-wrap.js';

/** scrypt cost from OWASP's current advice (N=2^17, r=8, p=1): about 128 MiB and a fraction of a second, once per unlock. */
export const DEFAULT_SCRYPT = { N: 2 ** 17, r: 8, p: 1 } as const;
const MIN_PASSPHRASE_LENGTH = 8;

export interface ScryptCost {
  readonly N: number;
  readonly r: number;
  readonly p: number;
}

function deriveKek(passphrase: string, salt: Buffer, cost: ScryptCost): Buffer {
  return scryptSync(passphrase.normalize('NFC'), salt, 32, { ...cost, maxmem: 256 * cost.N * cost.r + 1024 * 1024 });
}

export function createPassphraseKeyProvider(passphrase: string, cost: ScryptCost = DEFAULT_SCRYPT): KeyProvider {
  if (passphrase.length < MIN_PASSPHRASE_LENGTH) {
    throw passphraseTooShort(MIN_PASSPHRASE_LENGTH);
  }
  return {
    kind: 'passphrase',
    wrap(dataKey) {
      const salt = randomBytes(16);
      const kek = deriveKek(passphrase, salt, cost);
      return { kind: 'passphrase', params: { salt: salt.toString('base64'), ...cost }, blob: wrapWithKek(kek, dataKey, 'passphrase') };
    },
    unwrap(wrapped: WrappedKey) {
      const { salt, N, r, p } = wrapped.params;
      if (typeof salt !== 'string' || typeof N !== 'number' || typeof r !== 'number' || typeof p !== 'number') {
        throw keyParamsDamaged();
      }
      const kek = deriveKek(passphrase, Buffer.from(salt, 'base64'), { N, r, p });
      return unwrapWithKek(kek, wrapped.blob, 'passphrase');
    },
  };
}

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

/**
 * The cost read back from the store is data an attacker may have edited: bounded, so that a
 * huge p or N cannot hang the unlock or exhaust memory, and a malformed value is "damaged", not
 * a crash. The bounds allow far more than this app ever writes (N up to 2^20, r up to 32, p up to 16).
 */
function storedCostIsSane(cost: { N: unknown; r: unknown; p: unknown }): cost is ScryptCost {
  const { N, r, p } = cost;
  const whole = (v: unknown, max: number): v is number => typeof v === 'number' && Number.isInteger(v) && v >= 1 && v <= max;
  return whole(N, 2 ** 20) && N >= 2 && (N & (N - 1)) === 0 && whole(r, 32) && whole(p, 16);
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
      const stored = { N, r, p };
      if (typeof salt !== 'string' || !storedCostIsSane(stored)) throw keyParamsDamaged();
      const saltBytes = Buffer.from(salt, 'base64');
      if (saltBytes.length < 16 || saltBytes.length > 64) throw keyParamsDamaged();
      const kek = deriveKek(passphrase, saltBytes, stored);
      return unwrapWithKek(kek, wrapped.blob, 'passphrase');
    },
  };
}

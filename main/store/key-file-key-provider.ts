import { hkdfSync, randomBytes } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { keyFileNotCreated, keyFileUnreadable, keyParamsDamaged, notAKeyFile } from './errors.js';
import type { KeyProvider } from './key-provider.js';
import { unwrapWithKek, wrapWithKek } from './kek-wrap.js';

/** A key file holds 32 random bytes, base64 on one line. Keep it off the data disk (e.g. on IT's key share). */
const KEY_BYTES = 32;

export function createKeyFile(path: string): void {
  try {
    writeFileSync(path, `${randomBytes(KEY_BYTES).toString('base64')}\n`, { mode: 0o600, flag: 'wx' });
  } catch (cause) {
    throw keyFileNotCreated((cause as NodeJS.ErrnoException).code ?? 'error');
  }
}

function readKeyFile(path: string): Buffer {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (cause) {
    throw keyFileUnreadable((cause as NodeJS.ErrnoException).code ?? 'error');
  }
  const key = Buffer.from(text.trim(), 'base64');
  if (key.length !== KEY_BYTES) throw notAKeyFile();
  return key;
}

function deriveKek(fileKey: Buffer, salt: Buffer): Buffer {
  return Buffer.from(hkdfSync('sha256', fileKey, salt, 'scribe/kek/key-file', 32));
}

export function createKeyFileKeyProvider(path: string): KeyProvider {
  const fileKey = readKeyFile(path);
  return {
    kind: 'key-file',
    wrap(dataKey) {
      const salt = randomBytes(16);
      return {
        kind: 'key-file',
        params: { salt: salt.toString('base64') },
        blob: wrapWithKek(deriveKek(fileKey, salt), dataKey, 'key-file'),
      };
    },
    unwrap(wrapped) {
      const salt = wrapped.params['salt'];
      if (typeof salt !== 'string') throw keyParamsDamaged();
      return unwrapWithKek(deriveKek(fileKey, Buffer.from(salt, 'base64')), wrapped.blob, 'key-file');
    },
  };
}

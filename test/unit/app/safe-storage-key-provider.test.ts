import assert from 'node:assert/strict';
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { test } from 'vitest';
import { createSafeStorageKeyProvider } from '../../../main/app/safe-storage-key-provider.js';
import type { SafeStorageLike } from '../../../main/app/safe-storage-key-provider.js';
import { KeyUnavailableError, WrongKeyError } from '../../../main/store/errors.js';

/** A fake safeStorage that really encrypts, under a secret held by its "keychain". */
function fakeSafeStorage(options: { backend?: string; available?: boolean; secret?: Buffer } = {}) {
  const state = {
    backend: options.backend ?? 'gnome_libsecret',
    available: options.available ?? true,
    secret: options.secret ?? randomBytes(32),
    plaintexts: [] as string[],
  };
  const safeStorage: SafeStorageLike = {
    isEncryptionAvailable: () => state.available,
    getSelectedStorageBackend: () => state.backend,
    encryptString(plainText) {
      state.plaintexts.push(plainText);
      const iv = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', state.secret, iv);
      const body = Buffer.concat([cipher.update(plainText, 'utf8'), cipher.final()]);
      return Buffer.concat([iv, cipher.getAuthTag(), body]);
    },
    decryptString(encrypted) {
      const decipher = createDecipheriv('aes-256-gcm', state.secret, encrypted.subarray(0, 12));
      decipher.setAuthTag(encrypted.subarray(12, 28));
      return Buffer.concat([decipher.update(encrypted.subarray(28)), decipher.final()]).toString('utf8');
    },
  };
  return { safeStorage, state };
}

test('wraps and unwraps the data key on Linux with a real keyring', () => {
  const { safeStorage } = fakeSafeStorage();
  const provider = createSafeStorageKeyProvider(safeStorage, { platform: 'linux' });
  const dataKey = randomBytes(32);
  const wrapped = provider.wrap(dataKey);
  assert.equal(provider.kind, 'safe-storage');
  assert.equal(wrapped.kind, 'safe-storage');
  assert.deepEqual(wrapped.params, { backend: 'gnome_libsecret' });
  assert.equal(wrapped.blob.includes(dataKey), false, 'the key itself is not in the blob');
  assert.equal(wrapped.blob.toString('latin1').includes(dataKey.toString('base64')), false, 'nor its base64');
  assert.deepEqual(provider.unwrap(wrapped), dataKey);
});

test('macOS and Windows record their keychain and round-trip', () => {
  for (const [platform, backend] of [
    ['darwin', 'keychain'],
    ['win32', 'dpapi'],
  ] as const) {
    const { safeStorage } = fakeSafeStorage();
    const provider = createSafeStorageKeyProvider(safeStorage, { platform });
    const dataKey = randomBytes(32);
    const wrapped = provider.wrap(dataKey);
    assert.equal(wrapped.params['backend'], backend);
    assert.deepEqual(provider.unwrap(wrapped), dataKey);
  }
});

test("Linux's basic_text backend is refused: it protects nothing", () => {
  const { safeStorage, state } = fakeSafeStorage({ backend: 'basic_text' });
  const provider = createSafeStorageKeyProvider(safeStorage, { platform: 'linux' });
  assert.throws(() => provider.wrap(randomBytes(32)), KeyUnavailableError);
  assert.deepEqual(state.plaintexts, [], 'the key was never handed to the backend');
});

test('basic_text is accepted only when explicitly allowed', () => {
  const { safeStorage } = fakeSafeStorage({ backend: 'basic_text' });
  const provider = createSafeStorageKeyProvider(safeStorage, { platform: 'linux', allowPlaintextBackend: true });
  const dataKey = randomBytes(32);
  const wrapped = provider.wrap(dataKey);
  assert.equal(wrapped.params['backend'], 'basic_text');
  assert.deepEqual(provider.unwrap(wrapped), dataKey);
});

test('unwrapping a basic_text key is refused unless allowed', () => {
  const { safeStorage } = fakeSafeStorage({ backend: 'basic_text' });
  const wrapped = createSafeStorageKeyProvider(safeStorage, { platform: 'linux', allowPlaintextBackend: true }).wrap(randomBytes(32));
  assert.throws(() => createSafeStorageKeyProvider(safeStorage, { platform: 'linux' }).unwrap(wrapped), KeyUnavailableError);
});

test('an unavailable keychain is refused on wrap and unwrap', () => {
  const { safeStorage, state } = fakeSafeStorage();
  const provider = createSafeStorageKeyProvider(safeStorage, { platform: 'linux' });
  const wrapped = provider.wrap(randomBytes(32));
  state.available = false;
  assert.throws(() => provider.wrap(randomBytes(32)), KeyUnavailableError);
  assert.throws(() => provider.unwrap(wrapped), KeyUnavailableError);
});

test("an unknown backend (safeStorage used before 'ready') is refused", () => {
  const { safeStorage } = fakeSafeStorage({ backend: 'unknown' });
  assert.throws(() => createSafeStorageKeyProvider(safeStorage, { platform: 'linux' }).wrap(randomBytes(32)), KeyUnavailableError);
});

test('a changed backend is a clear KeyUnavailableError naming both, and decryption is not attempted', () => {
  const { safeStorage, state } = fakeSafeStorage({ backend: 'gnome_libsecret' });
  const provider = createSafeStorageKeyProvider(safeStorage, { platform: 'linux' });
  const wrapped = provider.wrap(randomBytes(32));
  state.backend = 'kwallet6';
  let decryptCalled = false;
  const original = safeStorage.decryptString.bind(safeStorage);
  safeStorage.decryptString = (blob) => {
    decryptCalled = true;
    return original(blob);
  };
  assert.throws(
    () => provider.unwrap(wrapped),
    (error: unknown) =>
      error instanceof KeyUnavailableError &&
      error.reason === 'keychain.backend_changed' &&
      /gnome_libsecret/.test(error.message) &&
      /kwallet6/.test(error.message),
  );
  assert.equal(decryptCalled, false);
});

test('a backend name from a tampered database is not echoed', () => {
  const { safeStorage } = fakeSafeStorage();
  const provider = createSafeStorageKeyProvider(safeStorage, { platform: 'linux' });
  const wrapped = provider.wrap(randomBytes(32));
  assert.throws(
    () => provider.unwrap({ ...wrapped, params: { backend: '<script>Jane Doe</script>' } }),
    (error: unknown) => error instanceof KeyUnavailableError && !error.message.includes('Jane'),
  );
});

test('a blob the keychain cannot decrypt is a WrongKeyError', () => {
  const first = fakeSafeStorage();
  const wrapped = createSafeStorageKeyProvider(first.safeStorage, { platform: 'linux' }).wrap(randomBytes(32));
  const other = fakeSafeStorage(); // same backend, different keychain secret (e.g. the keyring was reset)
  assert.throws(() => createSafeStorageKeyProvider(other.safeStorage, { platform: 'linux' }).unwrap(wrapped), WrongKeyError);
  const tampered = Buffer.from(wrapped.blob);
  tampered[tampered.length - 1] = (tampered.at(-1) ?? 0) ^ 0xff;
  assert.throws(
    () => createSafeStorageKeyProvider(first.safeStorage, { platform: 'linux' }).unwrap({ ...wrapped, blob: tampered }),
    WrongKeyError,
  );
});

test('a decrypted value that is not a 32-byte key is a WrongKeyError', () => {
  const { safeStorage } = fakeSafeStorage();
  const provider = createSafeStorageKeyProvider(safeStorage, { platform: 'linux' });
  const short = {
    kind: 'safe-storage' as const,
    params: { backend: 'gnome_libsecret' },
    blob: safeStorage.encryptString(randomBytes(16).toString('base64')),
  };
  assert.throws(() => provider.unwrap(short), WrongKeyError);
  const notBase64 = { ...short, blob: safeStorage.encryptString('not a key at all, just words!!!!!!!!!!!!!!!') };
  assert.throws(() => provider.unwrap(notBase64), WrongKeyError);
});

test('damaged parameters or another provider kind are refused', () => {
  const { safeStorage } = fakeSafeStorage();
  const provider = createSafeStorageKeyProvider(safeStorage, { platform: 'linux' });
  const wrapped = provider.wrap(randomBytes(32));
  assert.throws(() => provider.unwrap({ ...wrapped, params: {} }), KeyUnavailableError);
  assert.throws(() => provider.unwrap({ ...wrapped, params: { backend: 7 } }), KeyUnavailableError);
  assert.throws(() => provider.unwrap({ ...wrapped, kind: 'passphrase' }), KeyUnavailableError);
});

test('only 32-byte data keys are wrapped', () => {
  const { safeStorage } = fakeSafeStorage();
  assert.throws(() => createSafeStorageKeyProvider(safeStorage, { platform: 'linux' }).wrap(randomBytes(16)), TypeError);
});

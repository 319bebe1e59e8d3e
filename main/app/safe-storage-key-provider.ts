import { keyParamsDamaged } from '../store/errors.js';
import type { KeyProvider, WrappedKey } from '../store/key-provider.js';
import {
  keychainCannotDecrypt,
  keychainChanged,
  keychainPlaintextOnly,
  keychainUnavailable,
  keychainUnidentified,
  keychainWrongKey,
  notLockedWithKeychain,
} from './keychain-errors.js';

/** The parts of Electron's safeStorage used here; a parameter, so tests can pass a fake. */
export interface SafeStorageLike {
  isEncryptionAvailable(): boolean;
  encryptString(plainText: string): Buffer;
  decryptString(encrypted: Buffer): string;
  /** Linux only: which secret store protects the key. */
  getSelectedStorageBackend?(): string;
}

export interface SafeStorageKeyProviderOptions {
  /**
   * Accept Linux's 'basic_text' backend, which encrypts with a key hard-coded in Chromium and so
   * protects nothing. Only for a machine whose disk encryption IT vouches for, through policy.
   */
  readonly allowPlaintextBackend?: boolean;
  /** Defaults to process.platform; a parameter for tests. */
  readonly platform?: NodeJS.Platform;
}

const DATA_KEY_BYTES = 32;
const PLAINTEXT_BACKEND = 'basic_text';

/** Where safeStorage keeps its secret on platforms with a single backend. */
const FIXED_BACKENDS: Partial<Record<NodeJS.Platform, string>> = { darwin: 'keychain', win32: 'dpapi' };

function backendOf(safeStorage: SafeStorageLike, platform: NodeJS.Platform): string {
  if (platform === 'linux') return safeStorage.getSelectedStorageBackend?.() ?? 'unknown';
  return FIXED_BACKENDS[platform] ?? platform;
}

/** Backend names come from the database file; show only plain identifiers. */
function displayName(backend: string): string {
  return /^[a-z0-9_]{1,32}$/.test(backend) ? backend : 'another';
}

/**
 * Wraps the store's data key with Electron safeStorage (macOS Keychain, Windows DPAPI, Linux
 * libsecret or KWallet). The backend's name is kept beside the wrapped key: if it changes (a
 * different desktop session, a keyring that stopped working), opening fails with a clear error
 * instead of a garbled key, as Signal Desktop does.
 */
export function createSafeStorageKeyProvider(safeStorage: SafeStorageLike, options: SafeStorageKeyProviderOptions = {}): KeyProvider {
  const platform = options.platform ?? process.platform;
  const allowPlaintext = options.allowPlaintextBackend ?? false;

  /** The current backend, or a KeyUnavailableError saying why it cannot protect the key. */
  function usableBackend(): string {
    if (!safeStorage.isEncryptionAvailable()) {
      throw keychainUnavailable();
    }
    const backend = backendOf(safeStorage, platform);
    if (backend === 'unknown') {
      throw keychainUnidentified();
    }
    if (backend === PLAINTEXT_BACKEND && !allowPlaintext) {
      throw keychainPlaintextOnly();
    }
    return backend;
  }

  return {
    kind: 'safe-storage',
    wrap(dataKey: Buffer): WrappedKey {
      if (dataKey.length !== DATA_KEY_BYTES) throw new TypeError(`The data key must be ${DATA_KEY_BYTES} bytes.`);
      const backend = usableBackend();
      return { kind: 'safe-storage', params: { backend }, blob: safeStorage.encryptString(dataKey.toString('base64')) };
    },
    unwrap(wrapped: WrappedKey): Buffer {
      if (wrapped.kind !== 'safe-storage') throw notLockedWithKeychain();
      const stored = wrapped.params['backend'];
      if (typeof stored !== 'string' || stored === '') throw keyParamsDamaged();
      const current = backendOf(safeStorage, platform);
      if (current !== stored) throw keychainChanged(displayName(stored), current);
      usableBackend();
      let text: string;
      try {
        text = safeStorage.decryptString(wrapped.blob);
      } catch {
        throw keychainCannotDecrypt();
      }
      const dataKey = Buffer.from(text, 'base64');
      if (dataKey.length !== DATA_KEY_BYTES || dataKey.toString('base64') !== text) {
        throw keychainWrongKey();
      }
      return dataKey;
    },
  };
}

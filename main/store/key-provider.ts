/**
 * A key provider wraps and unwraps the store's random 32-byte data key with a key-encryption key
 * it alone knows: Electron safeStorage in the app (main/app/safe-storage-key-provider.ts), a
 * passphrase or a key file headless (passphrase-key-provider.ts, key-file-key-provider.ts).
 */
export type KeyProviderKind = 'passphrase' | 'key-file' | 'safe-storage';

export interface WrappedKey {
  readonly kind: KeyProviderKind;
  /** Non-secret parameters the provider needs to unwrap (salt, KDF cost, backend name). */
  readonly params: Readonly<Record<string, string | number>>;
  readonly blob: Buffer;
}

export interface KeyProvider {
  readonly kind: KeyProviderKind;
  wrap(dataKey: Buffer): WrappedKey;
  /** Returns the data key, or throws WrongKeyError (wrong secret) / KeyUnavailableError. */
  unwrap(wrapped: WrappedKey): Buffer;
}

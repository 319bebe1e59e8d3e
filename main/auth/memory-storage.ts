import type { FhirclientStorage } from './fhirclient-node.js';

/**
 * fhirclient's storage, kept in this process's memory only: the pending sign-in (state, PKCE
 * verifier) and, after it, the token response. Nothing reaches disk or the renderer; `clear` drops
 * it all at sign-out.
 */
export interface MemoryStorage extends FhirclientStorage {
  clear(): void;
}

export function createMemoryStorage(): MemoryStorage {
  const values = new Map<string, unknown>();
  return {
    get: (key) => Promise.resolve(values.get(key)),
    set: (key, value) => {
      values.set(key, value);
      return Promise.resolve(value);
    },
    unset: (key) => Promise.resolve(values.delete(key)),
    clear: () => values.clear(),
  };
}

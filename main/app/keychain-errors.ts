import { KeyUnavailableError, WrongKeyError } from '../store/errors.js';

/** Why the operating system's keychain cannot protect or give back the store key. */

export const keychainUnavailable = () =>
  new KeyUnavailableError(
    'The system keychain is not available, so the store key cannot be protected. Sign in to the desktop session, or ask IT to configure a key file.',
    'keychain.unavailable',
  );

export const keychainUnidentified = () =>
  new KeyUnavailableError('The system keychain could not be identified (was it used before the app was ready?).', 'keychain.unidentified');

export const keychainPlaintextOnly = () =>
  new KeyUnavailableError(
    'No system keychain (GNOME Keyring or KWallet) is running, so the store key would not be protected. Start one, or ask IT to configure a key file.',
    'keychain.plaintext_only',
  );

export const notLockedWithKeychain = () =>
  new KeyUnavailableError('This store was not locked with the system keychain.', 'keychain.not_used_by_store');

/** `stored` is shown only as a plain identifier: it comes from the database file. */
export const keychainChanged = (stored: string, current: string) =>
  new KeyUnavailableError(
    `The store key was protected by the "${stored}" keychain, but this session uses "${current}". Nothing was changed. Open the app in the desktop session that created the store, or ask IT.`,
    'keychain.backend_changed',
    { stored, current },
  );

export const keychainCannotDecrypt = () =>
  new WrongKeyError(
    'The system keychain could not unlock this store (its key may have been reset). Nothing was changed.',
    'keychain.cannot_decrypt',
  );

export const keychainWrongKey = () =>
  new WrongKeyError('The system keychain returned a key that does not open this store. Nothing was changed.', 'keychain.wrong_key');

import type { ErrorDetails } from '../kernel/errors.js';
import { NotFoundError, ScribeError } from '../kernel/errors.js';
import type { KeyProviderKind } from './key-provider.js';

/** The key given does not open this store. Nothing was read or written. */
export class WrongKeyError extends ScribeError {
  constructor(message: string, reason: string, details?: ErrorDetails) {
    super('store_locked', message, { reason, details });
  }
}

/** No key was given, or the key source is unusable (e.g. an OS keychain that does not protect secrets). */
export class KeyUnavailableError extends ScribeError {
  constructor(message: string, reason: string, details?: ErrorDetails) {
    super('store_locked', message, { reason, details });
  }
}

export class StoreMissingError extends ScribeError {
  constructor(dataDir: string) {
    super('unavailable', `No store in ${dataDir}. Run \`scribe init\` first.`, { reason: 'store.missing' });
  }
}

export class StoreExistsError extends ScribeError {
  constructor(dataDir: string) {
    super('conflict', `A store already exists in ${dataDir}.`, { reason: 'store.already_exists' });
  }
}

/** The database was written by a newer version of the app; opening it could lose data. */
export class StoreTooNewError extends ScribeError {
  constructor(found: number, supported: number) {
    super('unavailable', `This store has schema version ${found}, but this app supports up to ${supported}. Update the app.`, {
      reason: 'store.too_new',
      details: { found, supported },
    });
  }
}

/** A stored value failed authentication: it was altered on disk, or moved to another row. */
export class IntegrityError extends ScribeError {
  readonly table: string;
  readonly rowId: string;
  readonly column: string;
  constructor(where: { table: string; rowId: string; column: string }, options?: { cause?: unknown }) {
    super(
      'integrity',
      `Stored value ${where.table}.${where.column} of row ${where.rowId} failed its integrity check; it was altered outside the app.`,
      {
        cause: options?.cause,
        reason: 'store.integrity_failed',
        details: { table: where.table, column: where.column },
      },
    );
    this.table = where.table;
    this.rowId = where.rowId;
    this.column = where.column;
  }
}

export const wrongKey = (message = 'The passphrase or key does not open this store. Nothing was changed.') =>
  new WrongKeyError(message, 'store.wrong_key');

const describeKind: Record<KeyProviderKind, string> = {
  passphrase: 'a passphrase',
  'key-file': 'a key file',
  'safe-storage': "the operating system's key store",
};

export const wrongKeyKind = (stored: KeyProviderKind, given: KeyProviderKind) =>
  new WrongKeyError(
    `This store is unlocked with ${describeKind[stored]}, not ${describeKind[given]}. Nothing was changed.`,
    'store.wrong_key_kind',
    { stored, given },
  );

export const keyFileNotCreated = (errno: string) =>
  new KeyUnavailableError(`Could not create the key file (${errno}).`, 'store.key_file_not_created', { errno });

export const keyFileUnreadable = (errno: string) =>
  new KeyUnavailableError(`Could not read the key file (${errno}).`, 'store.key_file_unreadable', { errno });

export const notAKeyFile = () =>
  new KeyUnavailableError('The key file is not a Scribe key file (expected 32 bytes in base64).', 'store.key_file_invalid');

export const keyParamsDamaged = () => new KeyUnavailableError('The stored key parameters are damaged.', 'store.key_params_damaged');

export const passphraseTooShort = (minLength: number) =>
  new KeyUnavailableError(`The passphrase must be at least ${minLength} characters.`, 'store.passphrase_too_short', { minLength });

export const keyRecordMissing = () =>
  new KeyUnavailableError('The store has no key record; it was not initialised completely.', 'store.key_record_missing');

/** The visit repository lives in the store, so the visit every service looks up is missing here. */
export const visitNotFound = () => new NotFoundError('The visit', 'visit.not_found');

/**
 * The store file is damaged: SQLite failed to read a page, or its check found damage. That is not an
 * app fault to retry, and the clinician must not be told that nothing was lost.
 */
export const storeFileDamaged = (details: ErrorDetails, cause?: unknown) =>
  new ScribeError(
    'integrity',
    'Part of the store file is damaged and cannot be read. Ask IT to check the disk and restore the store from its backup before going on.',
    { reason: 'store.file_damaged', details, cause },
  );

/** SQLite reports a damaged database file (a bad page, a file that is not a database) as SQLITE_CORRUPT* or SQLITE_NOTADB. */
export function storeDamageOf(error: unknown): ScribeError | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code !== 'string' || !/^SQLITE_(?:CORRUPT|NOTADB)/.test(code)) return undefined;
  return storeFileDamaged({ sqlite: code }, error);
}

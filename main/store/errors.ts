import { ScribeError } from '../kernel/errors.js';

/** The key given does not open this store. Nothing was read or written. */
export class WrongKeyError extends ScribeError {
  constructor(message = 'The passphrase or key does not open this store. Nothing was changed.') {
    super('store_locked', message);
  }
}

/** No key was given, or the key source is unusable (e.g. an OS keychain that does not protect secrets). */
export class KeyUnavailableError extends ScribeError {
  constructor(message: string) {
    super('store_locked', message);
  }
}

export class StoreMissingError extends ScribeError {
  constructor(dataDir: string) {
    super('unavailable', `No store in ${dataDir}. Run \`scribe init\` first.`);
  }
}

export class StoreExistsError extends ScribeError {
  constructor(dataDir: string) {
    super('conflict', `A store already exists in ${dataDir}.`);
  }
}

/** The database was written by a newer version of the app; opening it could lose data. */
export class StoreTooNewError extends ScribeError {
  constructor(found: number, supported: number) {
    super('unavailable', `This store has schema version ${found}, but this app supports up to ${supported}. Update the app.`);
  }
}

/** A stored value failed authentication: it was altered on disk, or moved to another row. */
export class IntegrityError extends ScribeError {
  readonly table: string;
  readonly rowId: string;
  readonly column: string;
  constructor(where: { table: string; rowId: string; column: string }, options?: { cause?: unknown }) {
    super('integrity', `Stored value ${where.table}.${where.column} of row ${where.rowId} failed its integrity check; it was altered outside the app.`, options);
    this.table = where.table;
    this.rowId = where.rowId;
    this.column = where.column;
  }
}

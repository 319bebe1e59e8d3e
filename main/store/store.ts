import BetterSqlite3 from 'better-sqlite3';
import type { Database } from 'better-sqlite3';
import { hkdfSync, randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Clock } from './clock.js';
import { systemClock } from './clock.js';
import type { ValueCipher } from './envelope.js';
import { createValueCipher } from './envelope.js';
import {
  keyRecordMissing,
  storeDamageOf,
  StoreExistsError,
  storeFileDamaged,
  StoreMissingError,
  StoreTooNewError,
  wrongKeyKind,
} from './errors.js';
import type { KeyProvider, KeyProviderKind, WrappedKey } from './key-provider.js';
import { LATEST_SCHEMA_VERSION, runMigrations, schemaVersion } from './migrations/index.js';
import { QUICK_CHECK_ON_OPEN_MAX_BYTES, quickCheck } from './store-check.js';

export const DATABASE_FILE = 'scribe.db';

export type OpenMode = 'create' | 'open' | 'open-or-create';

export interface StoreOptions {
  readonly dataDir: string;
  readonly keyProvider: KeyProvider;
  readonly mode: OpenMode;
  readonly clock?: Clock;
}

/** An unlocked store: the database handle, a cipher for PHI values, and keys derived for other uses. */
export interface Store {
  readonly db: Database;
  readonly cipher: ValueCipher;
  readonly clock: Clock;
  readonly path: string;
  readonly created: boolean;
  /** A 32-byte subkey for a named purpose (e.g. the audit chain's MAC), derived from the data key. */
  deriveKey(purpose: string): Buffer;
  transaction<T>(fn: () => T): T;
  /**
   * Runs `fn` once the outermost `transaction` commits (at once when none is open); dropped when it
   * rolls back. Events about stored changes go out this way, so nobody hears of a change that never happened.
   */
  afterCommit(fn: () => void): void;
  close(): void;
}

function readWrappedKey(db: Database): WrappedKey {
  const row = db.prepare('SELECT kind, params, wrapped FROM keyring WHERE id = 1').get() as
    { kind: KeyProviderKind; params: string; wrapped: Buffer } | undefined;
  if (!row) throw keyRecordMissing();
  return { kind: row.kind, params: JSON.parse(row.params) as WrappedKey['params'], blob: row.wrapped };
}

function unlock(db: Database, provider: KeyProvider): Buffer {
  const wrapped = readWrappedKey(db);
  if (wrapped.kind !== provider.kind) {
    throw wrongKeyKind(wrapped.kind, provider.kind);
  }
  return provider.unwrap(wrapped);
}

function initialise(db: Database, provider: KeyProvider, clock: Clock): Buffer {
  const dataKey = randomBytes(32);
  const wrapped = provider.wrap(dataKey);
  db.transaction(() => {
    runMigrations(db);
    db.prepare('INSERT INTO keyring (id, kind, params, wrapped, created_at) VALUES (1, ?, ?, ?, ?)').run(
      wrapped.kind,
      JSON.stringify(wrapped.params),
      wrapped.blob,
      clock.now().toISOString(),
    );
  })();
  return dataKey;
}

/**
 * Opens (or creates) the encrypted store. The key is checked before anything is written, so a
 * wrong key leaves the database file byte-for-byte as it was.
 */
/** A store written by an older version may be readable by others; the database and its journals are tightened on open. */
function keepOwnerOnly(path: string): void {
  for (const file of [path, `${path}-wal`, `${path}-shm`]) {
    try {
      if ((statSync(file).mode & 0o077) !== 0) chmodSync(file, 0o600);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    }
  }
}

export function openStore(options: StoreOptions): Store {
  const clock = options.clock ?? systemClock;
  const path = join(options.dataDir, DATABASE_FILE);
  const exists = existsSync(path);
  if (!exists && options.mode === 'open') throw new StoreMissingError(options.dataDir);
  if (exists && options.mode === 'create') throw new StoreExistsError(options.dataDir);
  if (!exists) {
    mkdirSync(options.dataDir, { recursive: true, mode: 0o700 });
    // SQLite gives the -wal and -shm files the database file's permissions: owner-only from the start,
    // whatever the folder or the umask would give.
    writeFileSync(path, '', { flag: 'wx', mode: 0o600 });
  }
  keepOwnerOnly(path);

  const db = new BetterSqlite3(path, { fileMustExist: true });
  let dataKey: Buffer;
  try {
    db.pragma('journal_mode = WAL');
    db.pragma('foreign_keys = ON');
    db.pragma('secure_delete = ON');
    // FULL: a committed visit survives power loss, not only a crash of the app.
    db.pragma('synchronous = FULL');
    db.pragma('busy_timeout = 5000');
    // Before anything reads or writes the rows: a damaged file is not unlocked, migrated or written to.
    if (exists && statSync(path).size <= QUICK_CHECK_ON_OPEN_MAX_BYTES) {
      const problems = quickCheck(db);
      if (problems.length > 0) throw storeFileDamaged({ check: 'quick_check', problems: problems.length });
    }
    const version = schemaVersion(db);
    if (version > LATEST_SCHEMA_VERSION) throw new StoreTooNewError(version, LATEST_SCHEMA_VERSION);
    if (version === 0) {
      dataKey = initialise(db, options.keyProvider, clock);
    } else {
      dataKey = unlock(db, options.keyProvider);
      runMigrations(db);
    }
  } catch (error) {
    db.close();
    throw storeDamageOf(error) ?? error;
  }

  const cipher = createValueCipher(dataKey);
  let depth = 0;
  const committed: (() => void)[] = [];
  return {
    db,
    cipher,
    clock,
    path,
    created: !exists,
    deriveKey: (purpose) => Buffer.from(hkdfSync('sha256', dataKey, Buffer.alloc(0), `scribe/${purpose}`, 32)),
    transaction: (fn) => {
      const mark = committed.length;
      depth += 1;
      let result;
      try {
        result = db.transaction(fn)();
      } catch (error) {
        committed.length = mark;
        throw error;
      } finally {
        depth -= 1;
      }
      if (depth === 0) {
        for (const callback of committed.splice(0)) {
          try {
            callback();
          } catch {
            // The change is committed: a failing listener must not make the caller think it was not.
          }
        }
      }
      return result;
    },
    afterCommit: (fn) => {
      if (depth > 0) committed.push(fn);
      else fn();
    },
    close: () => {
      if (db.open) db.close();
    },
  };
}

import BetterSqlite3 from 'better-sqlite3';
import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { storeDamageOf, StoreMissingError } from './errors.js';
import { quickCheck } from './store-check.js';
import { DATABASE_FILE } from './store.js';

export interface StoreCheckReport {
  readonly ok: boolean;
  /** What SQLite reported, or why it could not check the file at all. */
  readonly problems: readonly string[];
  readonly bytes: number;
  readonly ms: number;
}

/**
 * Checks the store file in `dataDir` without unlocking it: the check reads SQLite's pages, not the
 * encrypted values, so IT can run it without the key and on a store that no longer opens.
 */
export function checkStoreFile(dataDir: string): StoreCheckReport {
  const path = join(dataDir, DATABASE_FILE);
  if (!existsSync(path)) throw new StoreMissingError(dataDir);
  const started = performance.now();
  const bytes = statSync(path).size;
  let problems: string[];
  const db = new BetterSqlite3(path, { fileMustExist: true });
  try {
    db.pragma('busy_timeout = 5000');
    problems = quickCheck(db);
  } catch (error) {
    const damaged = storeDamageOf(error);
    if (!damaged) throw error;
    problems = [`SQLite could not read the file (${String(damaged.details?.['sqlite'])})`];
  } finally {
    db.close();
  }
  return { ok: problems.length === 0, problems, bytes, ms: performance.now() - started };
}

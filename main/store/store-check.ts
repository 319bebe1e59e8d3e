import type { Database } from 'better-sqlite3';

/**
 * PRAGMA quick_check reads every page of the file, so its cost grows with the store: about 0.1 s
 * for an 18 MB store (3,000 visits and the full ICD-10-CM release) and 0.4-0.8 s for 540 MB (the
 * same with 500 MB of audio), with the file in the page cache; reading it from a cold disk adds its
 * read time. Stores up to this size are checked every time they are opened (each CLI command
 * opens one); larger ones by `scribe store check`, which IT can schedule. A damaged page in an
 * unchecked store still surfaces when it is read (storeDamageOf).
 */
export const QUICK_CHECK_ON_OPEN_MAX_BYTES = 256 * 1024 * 1024;

/** How many problems a check reports: the first few say where the damage is; the rest add nothing. */
const MAX_PROBLEMS = 20;

/**
 * The problems SQLite's quick check finds (page numbers, tree, table and column names, never a
 * value), or none when the file is sound. It does not compare indexes with their tables
 * (integrity_check does, at several times the cost). Throws SQLITE_CORRUPT or SQLITE_NOTADB when the
 * damage stops the check itself.
 */
export function quickCheck(db: Database): string[] {
  const rows = db.pragma(`quick_check(${MAX_PROBLEMS})`) as { quick_check: string }[];
  const problems = rows.map((row) => row.quick_check);
  return problems.length === 1 && problems[0] === 'ok' ? [] : problems;
}

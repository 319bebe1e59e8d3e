import type { Store } from './store.js';

/**
 * Makes deleted rows leave the database files, not just the tables. The store runs with
 * `secure_delete = ON` (main/store/store.ts), so SQLite zeroes deleted cells and freed pages, but
 * in WAL mode the zeroed pages are only new frames in scribe.db-wal: scribe.db keeps the old bytes
 * until a checkpoint copies the frames back, and older frames linger in the -wal file until it is
 * reused. A TRUNCATE checkpoint does both (scribe.db rewritten, -wal cut to zero bytes).
 *
 * Measured on a 5.7 MB database deleting 300 chunks of 3.2 kB, the rest kept:
 * secure_delete + TRUNCATE checkpoint took 16 ms and left no byte of them in either file; VACUUM
 * took 68 ms and rewrites the whole database, so it grows with every hour of audio kept and needs
 * room for a second copy; without secure_delete the checkpointed file still held all 300. Hence
 * secure_delete + checkpoint, not VACUUM.
 *
 * Another connection reading (the app while a CLI command runs) keeps the checkpoint from
 * finishing; this returns false and the caller tries again on its next run.
 */
export function scrubDeletedPages(store: Store): boolean {
  const { db } = store;
  // The checkpoint waits for readers through the busy handler; the store's 5 s would stall the app's
  // main process that long behind a CLI command, so it gets a quarter of a second and tries again later.
  const busyTimeout = db.pragma('busy_timeout', { simple: true }) as number;
  db.pragma('busy_timeout = 250');
  try {
    const [result] = db.pragma('wal_checkpoint(TRUNCATE)') as { busy: number; log: number; checkpointed: number }[];
    return result !== undefined && result.busy === 0 && result.log === 0;
  } finally {
    db.pragma(`busy_timeout = ${busyTimeout}`);
  }
}

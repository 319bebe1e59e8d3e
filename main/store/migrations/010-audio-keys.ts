import type { Migration } from './migration.js';

/**
 * Per-visit audio keys, so a visit's audio can be destroyed by destroying its key (crypto-erasure,
 * main/retention/). Each key is random, sealed under the data key in `audio_keys`; chunks sealed
 * with it say so in `sealed_by`. Chunks stored before this migration keep `data-key` and stay
 * readable as they were: a visit gets its key lazily, with its first new chunk, and its older
 * chunks are deleted with it when its audio goes.
 */
export const audioKeys: Migration = {
  version: 10,
  name: 'audio-keys',
  sql: `
    CREATE TABLE audio_keys (
      visit_id TEXT PRIMARY KEY REFERENCES visits (id),
      wrapped BLOB NOT NULL,
      created_at TEXT NOT NULL
    );
    ALTER TABLE audio_chunks ADD COLUMN sealed_by TEXT NOT NULL DEFAULT 'data-key' CHECK (sealed_by IN ('data-key', 'visit-key'));
  `,
};

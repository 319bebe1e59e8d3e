import type { Migration } from './migration.js';

/**
 * Visit capture: consent records, the recording's state, encrypted audio chunks and speech
 * segments. Audio and consent details are AES-256-GCM envelopes; the plain columns hold only
 * counters, sample positions, states, our own ids and the recording process's lease.
 */
export const capture: Migration = {
  version: 2,
  name: 'capture',
  sql: `
    CREATE TABLE visit_consents (
      id TEXT PRIMARY KEY,
      visit_id TEXT NOT NULL REFERENCES visits (id),
      recorded_at TEXT NOT NULL,
      confirmed_by TEXT NOT NULL,
      details BLOB NOT NULL
    );
    CREATE INDEX visit_consents_by_visit ON visit_consents (visit_id, recorded_at);

    CREATE TABLE audio_tracks (
      visit_id TEXT PRIMARY KEY REFERENCES visits (id),
      status TEXT NOT NULL CHECK (status IN ('recording', 'paused', 'interrupted', 'importing', 'stopped')),
      next_seq INTEGER NOT NULL,
      sample_count INTEGER NOT NULL,
      chunk_count INTEGER NOT NULL,
      segments_final INTEGER NOT NULL DEFAULT 0,
      owner_instance TEXT,
      owner_pid INTEGER,
      owner_host TEXT,
      lease_until TEXT,
      started_at TEXT NOT NULL,
      updated_at TEXT NOT NULL
    );
    CREATE INDEX audio_tracks_by_status ON audio_tracks (status);

    CREATE TABLE audio_chunks (
      visit_id TEXT NOT NULL REFERENCES visits (id),
      seq INTEGER NOT NULL,
      start_sample INTEGER NOT NULL,
      sample_count INTEGER NOT NULL,
      pcm BLOB NOT NULL,
      PRIMARY KEY (visit_id, seq)
    );
    CREATE UNIQUE INDEX audio_chunks_by_position ON audio_chunks (visit_id, start_sample);

    CREATE TABLE speech_segments (
      visit_id TEXT NOT NULL REFERENCES visits (id),
      idx INTEGER NOT NULL,
      start_ms INTEGER NOT NULL,
      end_ms INTEGER NOT NULL,
      PRIMARY KEY (visit_id, idx)
    );
  `,
};

import type { Migration } from './migration.js';

/**
 * One transcript per visit and its segments. Only the spoken text is PHI (encrypted per segment);
 * times, speaker labels, confidences and our segment ids stay plain so the live view and playback
 * sync can order and seek without opening every value. `seq` keeps arrival order for segments that
 * start at the same millisecond.
 */
export const transcripts: Migration = {
  version: 5,
  name: 'transcripts',
  sql: `
    CREATE TABLE transcripts (
      visit_id TEXT PRIMARY KEY REFERENCES visits (id),
      source TEXT NOT NULL,
      final INTEGER NOT NULL DEFAULT 0,
      created_at TEXT NOT NULL,
      updated_at TEXT NOT NULL,
      finalized_at TEXT
    );

    CREATE TABLE transcript_segments (
      visit_id TEXT NOT NULL REFERENCES transcripts (visit_id),
      segment_id TEXT NOT NULL,
      seq INTEGER NOT NULL,
      start_ms INTEGER NOT NULL,
      end_ms INTEGER NOT NULL,
      speaker TEXT NOT NULL,
      confidence REAL,
      text BLOB NOT NULL,
      PRIMARY KEY (visit_id, segment_id)
    );
    CREATE INDEX transcript_segments_in_order ON transcript_segments (visit_id, start_ms, seq);
  `,
};

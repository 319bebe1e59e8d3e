import type { Migration } from './migration.js';

/**
 * Notes keep every revision (who, when, the whole note) so edits are never lost and can be shown
 * as a history; a signature locks the revision it covers. The outbox holds one job per signed note
 * with a stable idempotency key; payload, errors and receipts are PHI-bearing and encrypted.
 */
export const notesOutbox: Migration = {
  version: 4,
  name: 'notes-outbox',
  sql: `
    CREATE TABLE notes (
      visit_id TEXT PRIMARY KEY REFERENCES visits (id),
      revision INTEGER NOT NULL,
      body BLOB NOT NULL,
      updated_at TEXT NOT NULL,
      updated_by TEXT NOT NULL,
      signed_revision INTEGER
    );

    CREATE TABLE note_revisions (
      visit_id TEXT NOT NULL REFERENCES visits (id),
      revision INTEGER NOT NULL,
      at TEXT NOT NULL,
      author TEXT NOT NULL,
      kind TEXT NOT NULL,
      body BLOB NOT NULL,
      PRIMARY KEY (visit_id, revision)
    );

    CREATE TABLE attestations (
      visit_id TEXT PRIMARY KEY REFERENCES visits (id),
      revision INTEGER NOT NULL,
      note_sha256 TEXT NOT NULL,
      signed_by TEXT NOT NULL,
      signed_at TEXT NOT NULL
    );

    CREATE TABLE outbox_jobs (
      id TEXT PRIMARY KEY,
      visit_id TEXT NOT NULL UNIQUE REFERENCES visits (id),
      idempotency_key TEXT NOT NULL UNIQUE,
      route TEXT NOT NULL,
      target TEXT,
      state TEXT NOT NULL,
      attempts INTEGER NOT NULL DEFAULT 0,
      next_attempt_at TEXT NOT NULL,
      claimed_by TEXT,
      claimed_until TEXT,
      created_at TEXT NOT NULL,
      updated_at TEXT NOT NULL,
      delivered_at TEXT,
      last_error_code TEXT,
      last_error BLOB,
      payload BLOB NOT NULL,
      receipt BLOB
    );
    CREATE INDEX outbox_jobs_due ON outbox_jobs (state, next_attempt_at);
  `,
};

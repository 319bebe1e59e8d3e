import type { Migration } from './migration.js';

/**
 * Addenda after sign-off. A visit may now carry several signatures: seq 0 is the original note,
 * seq n is addendum n. Each signature has its own outbox job (unique per visit and seq), and an
 * addendum's job names the original's job as its parent (it is sent only after the parent is
 * delivered). SQLite cannot drop the old UNIQUE / PRIMARY KEY on visit_id in place, so both
 * tables are rebuilt and their rows copied unchanged. Encrypted values stay valid: their
 * associated data names the table, column and row id, and all three keep their names and values.
 * Addendum text is a note revision (kind 'addendum') tagged with its addendum number.
 */
export const addenda: Migration = {
  version: 6,
  name: 'addenda',
  sql: `
    CREATE TABLE attestations_v6 (
      visit_id TEXT NOT NULL REFERENCES visits (id),
      seq INTEGER NOT NULL DEFAULT 0 CHECK (seq >= 0),
      kind TEXT NOT NULL DEFAULT 'original' CHECK (kind IN ('original', 'addendum')),
      revision INTEGER NOT NULL,
      note_sha256 TEXT NOT NULL,
      signed_by TEXT NOT NULL,
      signed_at TEXT NOT NULL,
      PRIMARY KEY (visit_id, seq),
      CHECK ((seq = 0) = (kind = 'original'))
    );
    INSERT INTO attestations_v6 (visit_id, seq, kind, revision, note_sha256, signed_by, signed_at)
      SELECT visit_id, 0, 'original', revision, note_sha256, signed_by, signed_at FROM attestations;
    DROP TABLE attestations;
    ALTER TABLE attestations_v6 RENAME TO attestations;

    CREATE TABLE outbox_jobs_v6 (
      id TEXT PRIMARY KEY,
      visit_id TEXT NOT NULL REFERENCES visits (id),
      attestation_seq INTEGER NOT NULL DEFAULT 0,
      parent_job_id TEXT,
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
      receipt BLOB,
      UNIQUE (visit_id, attestation_seq),
      CHECK ((attestation_seq = 0) = (parent_job_id IS NULL))
    );
    INSERT INTO outbox_jobs_v6 (id, visit_id, attestation_seq, parent_job_id, idempotency_key, route, target, state, attempts, next_attempt_at,
                                claimed_by, claimed_until, created_at, updated_at, delivered_at, last_error_code, last_error, payload, receipt)
      SELECT id, visit_id, 0, NULL, idempotency_key, route, target, state, attempts, next_attempt_at,
             claimed_by, claimed_until, created_at, updated_at, delivered_at, last_error_code, last_error, payload, receipt FROM outbox_jobs;
    DROP TABLE outbox_jobs;
    ALTER TABLE outbox_jobs_v6 RENAME TO outbox_jobs;
    CREATE INDEX outbox_jobs_due ON outbox_jobs (state, next_attempt_at);
    CREATE INDEX outbox_jobs_by_parent ON outbox_jobs (parent_job_id) WHERE parent_job_id IS NOT NULL;

    ALTER TABLE note_revisions ADD COLUMN addendum_seq INTEGER CHECK (addendum_seq IS NULL OR addendum_seq >= 1);
    CREATE INDEX note_revisions_addenda ON note_revisions (visit_id, addendum_seq, revision) WHERE addendum_seq IS NOT NULL;
  `,
};

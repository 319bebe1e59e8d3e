import type { Migration } from './migration.js';

/**
 * The write ledger: each resource a job writes one request at a time (a server without transactions
 * or conditional create) is recorded as sent before the request goes out and as created, with the
 * server's id, when it answers. A resend then knows what reached the server, what did not, and what
 * may have (sent, never answered): only that last kind is looked for, or held for a person. No PHI:
 * planned-entry keys, resource types, server ids and times.
 */
export const outboxWriteLedger: Migration = {
  version: 11,
  name: 'outbox-write-ledger',
  sql: `
    CREATE TABLE outbox_writes (
      job_id TEXT NOT NULL REFERENCES outbox_jobs (id) ON DELETE CASCADE,
      entry TEXT NOT NULL,
      resource_type TEXT NOT NULL,
      state TEXT NOT NULL CHECK (state IN ('sent', 'created')),
      attempt INTEGER NOT NULL,
      sent_at TEXT NOT NULL,
      resource_id TEXT,
      PRIMARY KEY (job_id, entry)
    );
  `,
};

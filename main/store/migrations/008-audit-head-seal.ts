import type { Migration } from './migration.js';

/**
 * The audit log's head gets a MAC of its own (keyed from the data key), so cutting off the newest
 * entries and copying the last kept hash into the head no longer passes as intact; and a flag that
 * the head has been anchored in the file beside the database (main/audit/audit-anchor.ts), so a
 * deleted anchor file shows. Heads of older stores are sealed the next time the store opens.
 */
export const auditHeadSeal: Migration = {
  version: 8,
  name: 'audit-head-seal',
  sql: `
    ALTER TABLE audit_head ADD COLUMN mac TEXT;
    ALTER TABLE audit_head ADD COLUMN anchored INTEGER NOT NULL DEFAULT 0;
  `,
};

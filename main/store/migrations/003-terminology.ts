import type { Migration } from './migration.js';

/**
 * ICD-10-CM releases and their codes. Terminology is public reference data, not PHI: plain
 * columns. One release is active at a time; an import writes the new release and switches to it in
 * one transaction, so a failed or interrupted import leaves the previous code set in use. Older
 * releases keep their row (what was imported, when, by whom) but not their codes.
 */
export const terminology: Migration = {
  version: 3,
  name: 'terminology',
  sql: `
    CREATE TABLE terminology_releases (
      id TEXT PRIMARY KEY,
      system TEXT NOT NULL,
      fiscal_year INTEGER NOT NULL,
      files TEXT NOT NULL,
      sha256 TEXT NOT NULL,
      total_codes INTEGER NOT NULL,
      billable_codes INTEGER NOT NULL,
      imported_at TEXT NOT NULL,
      imported_by TEXT NOT NULL,
      active INTEGER NOT NULL CHECK (active IN (0, 1))
    );
    CREATE UNIQUE INDEX terminology_releases_one_active ON terminology_releases (system) WHERE active = 1;

    CREATE TABLE icd10cm_codes (
      release_id TEXT NOT NULL REFERENCES terminology_releases (id),
      code TEXT NOT NULL,
      order_no INTEGER NOT NULL,
      billable INTEGER NOT NULL CHECK (billable IN (0, 1)),
      short_title TEXT NOT NULL,
      title TEXT NOT NULL,
      PRIMARY KEY (release_id, code)
    );
  `,
};

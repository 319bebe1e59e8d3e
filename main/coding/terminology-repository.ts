import type { Store } from '../store/store.js';
import type { IcdEntry } from './code-set.js';

export interface ReleaseRecord {
  readonly id: string;
  readonly fiscalYear: number;
  readonly files: readonly string[];
  readonly sha256: string;
  readonly totalCodes: number;
  readonly billableCodes: number;
  readonly importedAt: string;
  readonly importedBy: string;
}

/** Where imported releases live. Kept small so the practice-mode store can implement it in PostgreSQL. */
export interface TerminologyRepository {
  /** The release in use, or undefined while the starter set is. */
  active(): ReleaseRecord | undefined;
  entries(releaseId: string): IcdEntry[];
  /** Stores `release` with its codes and makes it the one in use; call inside a transaction. */
  activate(release: ReleaseRecord, entries: readonly IcdEntry[]): void;
}

const SYSTEM = 'ICD-10-CM';

interface ReleaseRow {
  id: string;
  fiscal_year: number;
  files: string;
  sha256: string;
  total_codes: number;
  billable_codes: number;
  imported_at: string;
  imported_by: string;
}

interface CodeRow {
  code: string;
  order_no: number;
  billable: number;
  short_title: string;
  title: string;
}

export function createSqliteTerminologyRepository(store: Store): TerminologyRepository {
  const { db } = store;
  const selectActive = db.prepare('SELECT * FROM terminology_releases WHERE system = ? AND active = 1');
  const selectCodes = db.prepare(
    'SELECT code, order_no, billable, short_title, title FROM icd10cm_codes WHERE release_id = ? ORDER BY order_no',
  );
  const deactivate = db.prepare('UPDATE terminology_releases SET active = 0 WHERE system = ? AND active = 1');
  const dropCodes = db.prepare('DELETE FROM icd10cm_codes WHERE release_id <> ?');
  const insertRelease = db.prepare(
    `INSERT INTO terminology_releases (id, system, fiscal_year, files, sha256, total_codes, billable_codes, imported_at, imported_by, active)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 1)`,
  );
  const insertCode = db.prepare(
    'INSERT INTO icd10cm_codes (release_id, code, order_no, billable, short_title, title) VALUES (?, ?, ?, ?, ?, ?)',
  );

  return {
    active() {
      const row = selectActive.get(SYSTEM) as ReleaseRow | undefined;
      if (!row) return undefined;
      return {
        id: row.id,
        fiscalYear: row.fiscal_year,
        files: JSON.parse(row.files) as string[],
        sha256: row.sha256,
        totalCodes: row.total_codes,
        billableCodes: row.billable_codes,
        importedAt: row.imported_at,
        importedBy: row.imported_by,
      };
    },
    entries(releaseId) {
      return (selectCodes.all(releaseId) as CodeRow[]).map((r) => ({
        code: r.code,
        order: r.order_no,
        billable: r.billable === 1,
        shortTitle: r.short_title,
        title: r.title,
      }));
    },
    activate(release, entries) {
      deactivate.run(SYSTEM);
      insertRelease.run(
        release.id,
        SYSTEM,
        release.fiscalYear,
        JSON.stringify(release.files),
        release.sha256,
        release.totalCodes,
        release.billableCodes,
        release.importedAt,
        release.importedBy,
      );
      for (const e of entries) insertCode.run(release.id, e.code, e.order, e.billable ? 1 : 0, e.shortTitle, e.title);
      // The previous release's codes go with it: notes keep the codes they were signed with.
      dropCodes.run(release.id);
    },
  };
}

import type { Database } from 'better-sqlite3';

/**
 * Row counts per table and visits per state: enough for support to see the shape of a store
 * without reading a single record. Table names come from SQLite itself, not from input.
 */
export function storeCounts(db: Database): { tables: Record<string, number>; visitsByState: Record<string, number> } {
  const names = db
    .prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name")
    .pluck()
    .all() as string[];
  const tables: Record<string, number> = {};
  for (const name of names) {
    tables[name] = db
      .prepare(`SELECT COUNT(*) FROM "${name.replaceAll('"', '""')}"`)
      .pluck()
      .get() as number;
  }
  const visitsByState: Record<string, number> = {};
  if (names.includes('visits')) {
    for (const row of db.prepare('SELECT state, COUNT(*) AS n FROM visits GROUP BY state ORDER BY state').all() as {
      state: string;
      n: number;
    }[]) {
      visitsByState[row.state] = row.n;
    }
  }
  return { tables, visitsByState };
}

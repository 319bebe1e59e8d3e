import { createHmac } from 'node:crypto';
import type { VisitId } from '../../shared/ids.js';
import type { Store } from './store.js';

/**
 * Finds the local visit for an EHR encounter without decrypting every visit: `visits.encounter_key`
 * holds HMAC-SHA-256(encounter id) under a key derived from the data key (migration 007), and a
 * unique index on it means two processes starting the same encounter cannot both create a visit.
 */
export interface VisitEncounterIndex {
  find(encounterId: string): VisitId | undefined;
  /** Records the visit's encounter; throws the SQLite unique-constraint error when another visit has it. */
  set(visitId: VisitId, encounterId: string): void;
}

export function isUniqueViolation(error: unknown): boolean {
  return (error as { code?: unknown } | undefined)?.code === 'SQLITE_CONSTRAINT_UNIQUE';
}

export function createVisitEncounterIndex(store: Store): VisitEncounterIndex {
  const { db, cipher } = store;
  const key = store.deriveKey('visit-encounter-index/v1');
  const keyOf = (encounterId: string) => createHmac('sha256', key).update(encounterId, 'utf8').digest('hex');
  const select = db.prepare('SELECT id FROM visits WHERE encounter_key = ?');
  const update = db.prepare('UPDATE visits SET encounter_key = ? WHERE id = ?');

  // Visits made before migration 007 (or by an older app on this store) get their key once. When two
  // old visits share an encounter the oldest keeps it; the other stays findable by its own id only.
  const pending = db
    .prepare('SELECT id, encounter_ref FROM visits WHERE encounter_ref IS NOT NULL AND encounter_key IS NULL ORDER BY created_at, id')
    .all() as {
    id: string;
    encounter_ref: Buffer;
  }[];
  if (pending.length > 0) {
    store.transaction(() => {
      for (const row of pending) {
        const encounterId = cipher.open(row.encounter_ref, { table: 'visits', rowId: row.id, column: 'encounter_ref' }).toString('utf8');
        const k = keyOf(encounterId);
        if (select.get(k) === undefined) update.run(k, row.id);
      }
    });
  }

  return {
    find: (encounterId) => (select.get(keyOf(encounterId)) as { id: VisitId } | undefined)?.id,
    set(visitId, encounterId) {
      update.run(keyOf(encounterId), visitId);
    },
  };
}

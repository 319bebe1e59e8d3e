import type { VisitId } from '../../shared/ids.js';
import type { Store } from '../store/store.js';
import { erasureSchemaUnknown } from './retention-errors.js';

/** A visit whose audio may go: every signature of it confirmed by the EHR, the last at `confirmedAt`. */
export interface ConfirmedAudio {
  readonly visitId: VisitId;
  readonly confirmedAt: string;
}

/** What retention and erasure read and delete; SQL stays here, the services decide. */
export interface RetentionRepository {
  /** Delivered visits that still hold audio (not being recorded or imported), oldest confirmation first; one visit when named. */
  confirmedWithAudio(visitId?: VisitId): ConfirmedAudio[];
  visitExists(visitId: VisitId): boolean;
  /** Outbox jobs of the visit the EHR has not confirmed (queued, sending or failed). */
  undeliveredJobs(visitId: VisitId): number;
  /** Whether the visit's audio is being recorded, paused mid-recording or imported. */
  capturing(visitId: VisitId): boolean;
  /** Deletes every row of the visit, the visit last. Call inside a transaction. */
  eraseVisit(visitId: VisitId): void;
}

/**
 * Every table holding a visit's rows, children before parents (foreign keys are on), and the
 * column naming the visit. A new table with a `visit_id` column must be added here: erasure checks
 * the schema first and refuses rather than leave part of a visit behind.
 */
const VISIT_TABLES: readonly (readonly [table: string, column: string])[] = [
  ['transcript_segments', 'visit_id'],
  ['transcripts', 'visit_id'],
  ['speech_segments', 'visit_id'],
  ['audio_chunks', 'visit_id'],
  ['audio_keys', 'visit_id'],
  ['audio_tracks', 'visit_id'],
  ['visit_consents', 'visit_id'],
  ['note_revisions', 'visit_id'],
  ['notes', 'visit_id'],
  ['attestations', 'visit_id'],
  ['outbox_jobs', 'visit_id'],
  ['visits', 'id'],
];

export function createSqliteRetentionRepository(store: Store): RetentionRepository {
  const { db } = store;
  const confirmed = `
    SELECT v.id AS visitId, MAX(j.delivered_at) AS confirmedAt
    FROM visits v JOIN outbox_jobs j ON j.visit_id = v.id
    WHERE v.state = 'delivered' AND (@visitId IS NULL OR v.id = @visitId)
      AND (EXISTS (SELECT 1 FROM audio_tracks t WHERE t.visit_id = v.id)
        OR EXISTS (SELECT 1 FROM audio_chunks c WHERE c.visit_id = v.id)
        OR EXISTS (SELECT 1 FROM audio_keys k WHERE k.visit_id = v.id))
      AND NOT EXISTS (SELECT 1 FROM audio_tracks t WHERE t.visit_id = v.id AND t.status IN ('recording', 'paused', 'importing'))
    GROUP BY v.id
    HAVING SUM(CASE WHEN j.state = 'delivered' AND j.delivered_at IS NOT NULL THEN 0 ELSE 1 END) = 0
    ORDER BY confirmedAt, v.id`;
  const selectConfirmed = db.prepare(confirmed);
  const selectVisit = db.prepare('SELECT 1 FROM visits WHERE id = ?');
  const countUndelivered = db.prepare("SELECT COUNT(*) AS n FROM outbox_jobs WHERE visit_id = ? AND state <> 'delivered'");
  const selectCapturing = db.prepare("SELECT 1 FROM audio_tracks WHERE visit_id = ? AND status IN ('recording', 'paused', 'importing')");
  const tablesWithVisitRows = db.prepare(
    `SELECT m.name AS name FROM sqlite_master m, pragma_table_info(m.name) p
     WHERE m.type = 'table' AND p.name = 'visit_id' ORDER BY m.name`,
  );
  const known = new Set(VISIT_TABLES.map(([table]) => table));

  return {
    confirmedWithAudio: (visitId) => selectConfirmed.all({ visitId: visitId ?? null }) as ConfirmedAudio[],
    visitExists: (visitId) => selectVisit.get(visitId) !== undefined,
    undeliveredJobs: (visitId) => (countUndelivered.get(visitId) as { n: number }).n,
    capturing: (visitId) => selectCapturing.get(visitId) !== undefined,
    eraseVisit(visitId) {
      for (const { name } of tablesWithVisitRows.all() as { name: string }[]) if (!known.has(name)) throw erasureSchemaUnknown(name);
      for (const [table, column] of VISIT_TABLES) db.prepare(`DELETE FROM ${table} WHERE ${column} = ?`).run(visitId);
    },
  };
}

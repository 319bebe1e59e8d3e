import { TranscriptionFailure } from '../../shared/domain/transcription.js';
import type { VisitId } from '../../shared/ids.js';
import type { Store } from '../store/store.js';

/** Why each visit's transcription last failed (visits.transcription_failure): kept across restarts. */
export interface TranscriptionFailures {
  /** Runs `move` and, when it moved the visit, records why, in one transaction. */
  hold(visitId: VisitId, failure: TranscriptionFailure, move: () => boolean): boolean;
  get(visitId: VisitId): TranscriptionFailure | undefined;
}

export function createSqliteTranscriptionFailures(store: Store): TranscriptionFailures {
  const write = store.db.prepare('UPDATE visits SET transcription_failure = ? WHERE id = ?');
  const read = store.db.prepare('SELECT transcription_failure AS failure FROM visits WHERE id = ?');
  return {
    hold(visitId, failure, move) {
      return store.transaction(() => {
        if (!move()) return false;
        write.run(JSON.stringify(failure), visitId);
        return true;
      });
    },
    get(visitId) {
      const row = read.get(visitId) as { failure: string | null } | undefined;
      if (!row?.failure) return undefined;
      const parsed = TranscriptionFailure.safeParse(JSON.parse(row.failure));
      return parsed.success ? parsed.data : undefined;
    },
  };
}

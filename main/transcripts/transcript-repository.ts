import type { TranscriptSegment, TranscriptSource } from '../../shared/domain/transcript.js';
import { Speaker } from '../../shared/domain/transcript.js';
import type { VisitId } from '../../shared/ids.js';
import { IntegrityError } from '../store/errors.js';
import type { Store } from '../store/store.js';

export interface TranscriptHeader {
  readonly visitId: VisitId;
  readonly source: TranscriptSource;
  readonly final: boolean;
  readonly segmentCount: number;
  readonly updatedAt: string;
}

export interface StoredTranscript extends Omit<TranscriptHeader, 'segmentCount'> {
  readonly segments: TranscriptSegment[];
}

export interface UpsertResult {
  readonly added: number;
  readonly revised: number;
}

/** Transcripts and their segments, text encrypted; services use this, never SQL. */
export interface TranscriptRepository {
  header(visitId: VisitId): TranscriptHeader | undefined;
  get(visitId: VisitId): StoredTranscript | undefined;
  /**
   * Adds segments, creating the transcript when there is none. A segment whose id is already stored
   * replaces it (an engine revising its hypothesis, or resending after a crash), so a retry can never
   * duplicate speech. The caller checks that the transcript is not final.
   */
  upsertSegments(visitId: VisitId, segments: readonly TranscriptSegment[], source: TranscriptSource): UpsertResult;
  /** Drops every stored segment and writes these instead, as one transcript with the given finality. */
  replace(visitId: VisitId, segments: readonly TranscriptSegment[], source: TranscriptSource, final: boolean): void;
  /** Returns false when there is no transcript. */
  markFinal(visitId: VisitId): boolean;
}

interface SegmentRow {
  segment_id: string;
  start_ms: number;
  end_ms: number;
  speaker: string;
  confidence: number | null;
  text: Buffer;
}

interface HeaderRow {
  source: TranscriptSource;
  final: number;
  updated_at: string;
  segments: number;
}

const SEGMENTS = 'transcript_segments';

export function createSqliteTranscriptRepository(store: Store): TranscriptRepository {
  const { db, cipher, clock } = store;
  const textAt = (visitId: string, segmentId: string) => ({ table: SEGMENTS, rowId: `${visitId}/${segmentId}`, column: 'text' });

  const selectHeader = db.prepare(
    `SELECT t.source, t.final, t.updated_at, (SELECT COUNT(*) FROM transcript_segments s WHERE s.visit_id = t.visit_id) AS segments
     FROM transcripts t WHERE t.visit_id = ?`,
  );
  const insertTranscript = db.prepare(
    `INSERT INTO transcripts (visit_id, source, final, created_at, updated_at) VALUES (@visitId, @source, 0, @at, @at)
     ON CONFLICT (visit_id) DO UPDATE SET updated_at = excluded.updated_at`,
  );
  const resetTranscript = db.prepare('UPDATE transcripts SET source = ?, final = ?, updated_at = ?, finalized_at = ? WHERE visit_id = ?');
  const finalise = db.prepare('UPDATE transcripts SET final = 1, updated_at = ?, finalized_at = ? WHERE visit_id = ?');
  const nextSeq = db.prepare('SELECT COALESCE(MAX(seq), 0) + 1 AS seq FROM transcript_segments WHERE visit_id = ?');
  const selectSegmentId = db.prepare('SELECT seq FROM transcript_segments WHERE visit_id = ? AND segment_id = ?');
  const insertSegment = db.prepare(
    `INSERT INTO transcript_segments (visit_id, segment_id, seq, start_ms, end_ms, speaker, confidence, text)
     VALUES (@visitId, @segmentId, @seq, @startMs, @endMs, @speaker, @confidence, @text)`,
  );
  const updateSegment = db.prepare(
    `UPDATE transcript_segments SET start_ms = @startMs, end_ms = @endMs, speaker = @speaker, confidence = @confidence, text = @text
     WHERE visit_id = @visitId AND segment_id = @segmentId`,
  );
  const deleteSegments = db.prepare('DELETE FROM transcript_segments WHERE visit_id = ?');
  const selectSegments = db.prepare(
    'SELECT segment_id, start_ms, end_ms, speaker, confidence, text FROM transcript_segments WHERE visit_id = ? ORDER BY start_ms, seq',
  );

  const row = (visitId: VisitId, segment: TranscriptSegment) => ({
    visitId,
    segmentId: segment.id,
    startMs: segment.startMs,
    endMs: segment.endMs,
    speaker: segment.speaker,
    confidence: segment.confidence ?? null,
    text: cipher.seal(Buffer.from(segment.text, 'utf8'), textAt(visitId, segment.id)),
  });

  function decode(visitId: VisitId, r: SegmentRow): TranscriptSegment {
    const speaker = Speaker.safeParse(r.speaker);
    if (!speaker.success) throw new IntegrityError({ table: SEGMENTS, rowId: `${visitId}/${r.segment_id}`, column: 'speaker' });
    return {
      id: r.segment_id,
      startMs: r.start_ms,
      endMs: r.end_ms,
      speaker: speaker.data,
      text: cipher.open(r.text, textAt(visitId, r.segment_id)).toString('utf8'),
      ...(r.confidence === null ? {} : { confidence: r.confidence }),
    };
  }

  function insertAll(visitId: VisitId, segments: readonly TranscriptSegment[]): void {
    let seq = (nextSeq.get(visitId) as { seq: number }).seq;
    for (const segment of segments) insertSegment.run({ ...row(visitId, segment), seq: seq++ });
  }

  return {
    header(visitId) {
      const h = selectHeader.get(visitId) as HeaderRow | undefined;
      return h ? { visitId, source: h.source, final: h.final === 1, segmentCount: h.segments, updatedAt: h.updated_at } : undefined;
    },
    get(visitId) {
      const h = selectHeader.get(visitId) as HeaderRow | undefined;
      if (!h) return undefined;
      const segments = (selectSegments.all(visitId) as SegmentRow[]).map((r) => decode(visitId, r));
      return { visitId, source: h.source, final: h.final === 1, updatedAt: h.updated_at, segments };
    },
    upsertSegments(visitId, segments, source) {
      return store.transaction(() => {
        insertTranscript.run({ visitId, source, at: clock.now().toISOString() });
        let added = 0;
        let revised = 0;
        let seq = (nextSeq.get(visitId) as { seq: number }).seq;
        for (const segment of segments) {
          if (selectSegmentId.get(visitId, segment.id)) {
            updateSegment.run(row(visitId, segment));
            revised += 1;
          } else {
            insertSegment.run({ ...row(visitId, segment), seq: seq++ });
            added += 1;
          }
        }
        return { added, revised };
      });
    },
    replace(visitId, segments, source, final) {
      store.transaction(() => {
        const at = clock.now().toISOString();
        insertTranscript.run({ visitId, source, at });
        deleteSegments.run(visitId);
        resetTranscript.run(source, final ? 1 : 0, at, final ? at : null, visitId);
        insertAll(visitId, segments);
      });
    },
    markFinal(visitId) {
      const at = clock.now().toISOString();
      return finalise.run(at, at, visitId).changes === 1;
    },
  };
}

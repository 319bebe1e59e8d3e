import { z } from 'zod';
import type { Transcript, TranscriptFormat, TranscriptSegment } from '../../shared/domain/transcript.js';
import { SegmentId, TranscriptSegment as TranscriptSegmentSchema } from '../../shared/domain/transcript.js';
import type { VisitState } from '../../shared/domain/visit.js';
import type { VisitId } from '../../shared/ids.js';
import type { Actor } from '../kernel/actor.js';
import type { EventBus } from '../kernel/event-bus.js';
import type { AuditLog } from '../audit/audit-log.js';
import type { Store } from '../store/store.js';
import type { VisitRecords } from '../store/visit-repository.js';
import type { VisitLifecycle } from '../visits/lifecycle.js';
import type { ConcreteFormat } from './import/parse-transcript.js';
import { parseTranscript } from './import/parse-transcript.js';
import type { StoredTranscript, TranscriptRepository, UpsertResult } from './transcript-repository.js';
import {
  importForbidden,
  importLocked,
  invalidSegments,
  transcriptExists,
  transcriptFinal,
  transcriptNotFound,
} from './transcript-errors.js';
import { visitNotFound } from '../store/errors.js';

export interface TranscriptImportResult {
  readonly visitId: VisitId;
  readonly format: ConcreteFormat;
  readonly segments: number;
  readonly replaced: boolean;
}

export interface TranscriptService {
  /** The visit's transcript for a person to read (recorded in the audit log). */
  get(visitId: VisitId, actor: Actor): Transcript;
  /** Reads a transcript made elsewhere; all or nothing, and final on success. */
  import(visitId: VisitId, request: { content: string; format: TranscriptFormat; replace: boolean }, actor: Actor): TranscriptImportResult;
  /** For transcription engines while the visit goes on: adds or revises segments by id. */
  appendSegments(visitId: VisitId, segments: readonly TranscriptSegment[]): UpsertResult;
  /** For transcription engines when the last audio is flushed; finalising twice is harmless. */
  finalize(visitId: VisitId, actorId?: string): void;
  /** For drafting, which records its own audit entry. */
  read(visitId: VisitId): StoredTranscript | undefined;
}

export interface TranscriptServiceDeps {
  readonly store: Store;
  readonly transcripts: TranscriptRepository;
  readonly visits: Pick<VisitRecords, 'get'>;
  readonly lifecycle: Pick<VisitLifecycle, 'transition'>;
  readonly audit: AuditLog;
  readonly events: EventBus;
}

const EDITORS = new Set(['clinician', 'scribe']);

/**
 * While audio is being captured the engine owns the transcript; once signed, the note's evidence
 * depends on it. Any other visit may take one, also while (or after) its own transcription runs or fails.
 */
const IMPORT_LOCKED: ReadonlySet<VisitState> = new Set(['recording', 'signed', 'delivered', 'failed']);

const EngineSegment = TranscriptSegmentSchema.extend({ id: SegmentId }).refine((s) => s.endMs >= s.startMs, {
  message: 'ends before it starts',
  path: ['endMs'],
});

export function createTranscriptService({
  store,
  transcripts,
  visits,
  lifecycle,
  audit,
  events,
}: TranscriptServiceDeps): TranscriptService {
  const requireVisit = (visitId: VisitId) => {
    const visit = visits.get(visitId);
    if (!visit) throw visitNotFound();
    return visit;
  };
  const announce = (visitId: VisitId) => {
    const header = transcripts.header(visitId);
    if (header) events.emit('transcript:changed', { visitId, segments: header.segmentCount, final: header.final });
  };

  return {
    get(visitId, actor) {
      const stored = transcripts.get(visitId);
      if (!stored) throw transcriptNotFound();
      audit.append({ actor: actor.id, action: 'transcript.viewed', objectType: 'visit', objectId: visitId });
      return stored;
    },

    import(visitId, request, actor) {
      if (!EDITORS.has(actor.role)) throw importForbidden();
      // Parsed in full before anything is written: a malformed file stores nothing.
      const { format, turns } = parseTranscript(request.content, request.format);
      const segments = turns.map((turn, i) => ({ ...turn, id: `seg-${i + 1}` }));
      const replaced = store.transaction(() => {
        const visit = requireVisit(visitId);
        if (IMPORT_LOCKED.has(visit.state)) {
          throw importLocked(visit.state);
        }
        const existing = transcripts.header(visitId);
        if (existing && !request.replace) {
          throw transcriptExists(existing.segmentCount);
        }
        transcripts.replace(visitId, segments, 'import', true);
        // A visit whose transcription failed waits for its note again, now with a final transcript.
        lifecycle.transition(visitId, 'transcription_failed', 'transcribing');
        audit.append({
          actor: actor.id,
          action: existing ? 'transcript.replaced' : 'transcript.imported',
          objectType: 'visit',
          objectId: visitId,
        });
        return existing !== undefined;
      });
      announce(visitId);
      return { visitId, format, segments: segments.length, replaced };
    },

    appendSegments(visitId, segments) {
      const parsed = z.array(EngineSegment).safeParse(segments);
      if (!parsed.success) throw invalidSegments([...new Set(parsed.error.issues.map((i) => i.path.join('.')))]);
      const result = store.transaction(() => {
        requireVisit(visitId);
        if (transcripts.header(visitId)?.final) throw transcriptFinal();
        return transcripts.upsertSegments(visitId, parsed.data, 'asr');
      });
      announce(visitId);
      return result;
    },

    finalize(visitId, actorId = 'system') {
      const changed = store.transaction(() => {
        const header = transcripts.header(visitId);
        if (!header) throw transcriptNotFound();
        if (header.final) return false;
        transcripts.markFinal(visitId);
        audit.append({ actor: actorId, action: 'transcript.finalized', objectType: 'visit', objectId: visitId });
        return true;
      });
      if (changed) announce(visitId);
    },

    read: (visitId) => transcripts.get(visitId),
  };
}

import type { AutoDraftStatus } from '../../shared/domain/auto-draft.js';
import type { VisitId } from '../../shared/ids.js';
import type { Actor } from '../kernel/actor.js';
import type { EventBus } from '../kernel/event-bus.js';
import type { AuditLog } from '../audit/audit-log.js';
import type { DraftingService } from '../drafting/drafting-service.js';
import { ScribeError } from '../kernel/errors.js';
import type { Logger } from '../log/logger.js';
import type { NoteRepository } from '../notes/note-repository.js';
import type { VisitRecords } from '../store/visit-repository.js';
import type { TranscriptService } from '../transcripts/transcript-service.js';
import type { VisitLifecycle } from './lifecycle.js';

/**
 * The visit moving on by itself: once a recorded visit's transcript is final, its note is drafted
 * with the configured drafter (the language model when one is set up and allowed, else the offline
 * rules) and the visit becomes draft ready, so the draft is there seconds after the visit ends.
 * It listens to what the services publish and calls the drafting service like any other caller.
 *
 * A note a person has written or edited is never drafted over. Work survives restarts: `start()`
 * drafts every recorded visit whose transcript is final and that has no note yet, and every later
 * trigger checks the same, so a visit is drafted once whichever comes first.
 */
export interface VisitPipeline {
  /** Subscribes to the event bus and drafts what was left undrafted (a crash, a CLI transcription). */
  start(): void;
  /** Unsubscribes and waits for a draft under way. */
  stop(): Promise<void>;
  /** What auto-drafting did for the visit in this session. */
  status(visitId: VisitId): AutoDraftStatus;
  /** Resolves when nothing is queued or running (tests, shutdown). */
  idle(): Promise<void>;
}

export interface VisitPipelineDeps {
  readonly events: EventBus;
  readonly visits: Pick<VisitRecords, 'get' | 'list'>;
  readonly lifecycle: Pick<VisitLifecycle, 'transition'>;
  /** A recorded visit left transcribing by an earlier process: its transcription is started again (or it is marked failed). */
  readonly resumeTranscription?: (visitId: VisitId) => void;
  readonly transcripts: Pick<TranscriptService, 'read'>;
  readonly notes: Pick<NoteRepository, 'get' | 'revisions'>;
  readonly drafting: DraftingService;
  readonly audit: AuditLog;
  readonly logger: Logger;
}

/** Who the note's first revision is by: the app, not a person (the revision history says so). */
export const AUTO_DRAFT_ACTOR: Actor = { id: 'system:auto-draft', role: 'scribe' };

const EDITED_FIRST = 'A person has already written or edited this note, so it was not drafted automatically; their note is kept.';

export function createVisitPipeline(deps: VisitPipelineDeps): VisitPipeline {
  const statuses = new Map<VisitId, AutoDraftStatus>();
  const queued = new Set<VisitId>();
  let chain: Promise<void> = Promise.resolve();
  let unsubscribe: (() => void) | undefined;

  function report(status: AutoDraftStatus): void {
    statuses.set(status.visitId, status);
    deps.events.emit('visit:autoDraft', status);
  }

  /** Whether the visit is one to draft now; records why not when a person's note is in the way. */
  function due(visitId: VisitId): boolean {
    const visit = deps.visits.get(visitId);
    // 'transcribing' is where a stopped recording waits for its note; any other state has moved on.
    if (!visit || visit.state !== 'transcribing') return false;
    const transcript = deps.transcripts.read(visitId);
    if (!transcript?.final || transcript.source !== 'asr') return false;
    if (deps.notes.get(visitId)) {
      if (deps.notes.revisions(visitId).some((revision) => revision.kind !== 'draft')) {
        // The transcript is done and a person's note is there: the visit is in review, not waiting.
        deps.lifecycle.transition(visitId, 'transcribing', 'in_review');
        report({ visitId, state: 'skipped', reason: EDITED_FIRST });
      }
      return false;
    }
    return true;
  }

  async function draft(visitId: VisitId): Promise<void> {
    queued.delete(visitId);
    if (unsubscribe === undefined || !due(visitId)) return;
    report({ visitId, state: 'drafting' });
    try {
      const result = await deps.drafting.draft({ visitId, engine: 'auto', template: 'soap', replaceEdits: false }, AUTO_DRAFT_ACTOR);
      deps.logger.info('pipeline.drafted', {
        visitId,
        engine: result.note.drafter.engine,
        revision: result.note.revision,
        fallback: result.fallback !== undefined,
      });
      report({ visitId, state: 'drafted' });
    } catch (error) {
      // Shutting down: the store may be closing under the draft; the next start drafts the visit.
      if (unsubscribe === undefined) return;
      // Someone drafted or wrote the note while this one was being made: theirs stands.
      if (deps.notes.get(visitId)) {
        const edited = deps.notes.revisions(visitId).some((revision) => revision.kind !== 'draft');
        report(edited ? { visitId, state: 'skipped', reason: EDITED_FIRST } : { visitId, state: 'drafted' });
        return;
      }
      const code = error instanceof ScribeError ? error.code : 'internal';
      // ScribeError messages are written for people and never carry PHI; anything else is not shown.
      const reason =
        error instanceof ScribeError
          ? `The note could not be drafted automatically: ${error.message} Use “Draft the note” to try again.`
          : 'The note could not be drafted automatically because of an unexpected error. Use “Draft the note” to try again.';
      deps.logger.warn('pipeline.draft_failed', { visitId, code, type: error instanceof Error ? error.name : typeof error });
      deps.audit.append({ actor: AUTO_DRAFT_ACTOR.id, action: 'drafting.auto_failed', objectType: 'visit', objectId: visitId });
      report({ visitId, state: 'failed', reason });
    }
  }

  /** One draft at a time, in the order visits became ready; a visit already waiting is not queued twice. */
  function consider(visitId: VisitId): void {
    if (queued.has(visitId)) return;
    queued.add(visitId);
    chain = chain.then(() => draft(visitId)).catch(() => undefined);
  }

  return {
    start() {
      if (unsubscribe) return;
      const offTranscript = deps.events.on('transcript:changed', ({ visitId, final }) => {
        if (final) consider(visitId);
      });
      const offVisit = deps.events.on('visit:changed', ({ visitId, state }) => {
        if (state === 'transcribing') consider(visitId);
      });
      unsubscribe = () => {
        offTranscript();
        offVisit();
      };
      for (const visit of deps.visits.list({ states: ['transcribing'], limit: 1000 })) {
        deps.resumeTranscription?.(visit.id);
        consider(visit.id);
      }
    },
    async stop() {
      unsubscribe?.();
      unsubscribe = undefined;
      await chain;
    },
    status: (visitId) => statuses.get(visitId) ?? { visitId, state: 'none' },
    async idle() {
      let seen: Promise<void>;
      do {
        seen = chain;
        await seen;
      } while (seen !== chain);
    },
  };
}

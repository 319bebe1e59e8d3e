import type { CodeSuggestion, Note } from '../../shared/domain/note.js';
import type { VisitState } from '../../shared/domain/visit.js';
import type { VisitId } from '../../shared/ids.js';
import type { Actor } from '../kernel/actor.js';
import type { EventBus } from '../kernel/event-bus.js';
import type { AuditLog } from '../audit/audit-log.js';
import type { Store } from '../store/store.js';
import type { VisitRecords } from '../store/visit-repository.js';
import type { VisitLifecycle } from '../visits/lifecycle.js';
import type { CodeValidator } from '../coding/code-validator.js';
import { checkAgainstCodeSet } from '../coding/code-validator.js';
import type { EvidenceBasis } from '../evidence/evidence-basis.js';
import { noteEvidence } from '../evidence/note-evidence.js';
import type { TranscriptRepository } from '../transcripts/transcript-repository.js';
import type { NoteRepository, RevisionKind, RevisionSummary } from './note-repository.js';
import { withStoredOrigins } from './sentence-origin.js';
import {
  acceptedCodesNotBillable,
  noteEditForbidden,
  noteNotFound,
  noteOfAnotherVisit,
  noteRevisionConflict,
  noteSignedLocked,
} from './note-errors.js';
import { visitNotFound } from '../store/errors.js';

export type NoteDraft = Omit<Note, 'revision' | 'updatedAt' | 'updatedBy'>;

export interface NoteView {
  readonly note: Note;
  readonly signed: boolean;
  readonly revisions: RevisionSummary[];
  /** The transcript was replaced or revised after the note was drafted (sentences that lost their evidence say so). */
  readonly transcriptChanged: boolean;
}

export interface NoteService {
  get(visitId: VisitId, actor: Actor): NoteView;
  /**
   * Saves an edit on top of `baseRevision`. If someone saved in between, the edit is refused
   * (conflict) instead of silently overwriting theirs: the caller reloads and re-applies. What backs each
   * sentence, where it came from and the accepted codes' descriptions are derived here from the store,
   * whatever the draft says. A 'draft' (from the drafting service) passes the transcript it was drafted from.
   */
  save(
    visitId: VisitId,
    baseRevision: number | undefined,
    draft: NoteDraft,
    actor: Actor,
    kind?: RevisionKind,
    basis?: EvidenceBasis,
  ): Note;
}

export interface NoteServiceDeps {
  readonly store: Store;
  readonly notes: NoteRepository;
  readonly visits: VisitRecords;
  readonly transcripts: Pick<TranscriptRepository, 'get'>;
  /** The code set in use: only billable codes may be accepted, with its descriptions. */
  readonly validateCode: CodeValidator;
  readonly lifecycle: Pick<VisitLifecycle, 'transition'>;
  readonly audit: AuditLog;
  readonly events: EventBus;
}

const EDITORS = new Set(['clinician', 'scribe']);
/** A first draft moves a visit whose recording ended (or that never had one) to draft ready; later drafts leave the state alone. */
const DRAFTABLE: readonly VisitState[] = ['not_started', 'transcribing', 'transcription_failed'];
/** A person's edit puts a drafted note in review, and so does a note written by hand after transcription failed. */
const EDITABLE: readonly VisitState[] = ['draft_ready', 'transcription_failed'];

export function createNoteService(deps: NoteServiceDeps): NoteService {
  const { store, notes, visits, lifecycle, audit, events } = deps;

  const lastDraft = (visitId: VisitId) => {
    const draft = notes
      .revisions(visitId)
      .filter((r) => r.kind === 'draft')
      .at(-1);
    return draft ? notes.revision(visitId, draft.revision) : undefined;
  };

  /** The draft as the store will hold it: derived origins (edits only), evidence checks, official code descriptions. */
  function derived(visitId: VisitId, draft: NoteDraft, kind: RevisionKind, basis: EvidenceBasis | undefined): NoteDraft {
    const sections = kind === 'draft' ? draft.sections : withStoredOrigins(draft.sections, lastDraft(visitId));
    const segments = deps.transcripts.get(visitId)?.segments ?? [];
    return { ...draft, sections: noteEvidence(sections, segments, basis).sections, codes: billableCodes(draft.codes, deps.validateCode) };
  }

  return {
    get(visitId, actor) {
      const stored = notes.get(visitId);
      if (!stored) throw noteNotFound();
      audit.append({ actor: actor.id, action: 'note.viewed', objectType: 'visit', objectId: visitId });
      const signed = stored.signedRevision !== undefined;
      if (signed) return { note: stored.note, signed, revisions: notes.revisions(visitId), transcriptChanged: false };
      const evidence = noteEvidence(stored.note.sections, deps.transcripts.get(visitId)?.segments ?? [], stored.basis);
      return {
        note: { ...stored.note, sections: evidence.sections },
        signed,
        revisions: notes.revisions(visitId),
        transcriptChanged: evidence.transcriptChanged,
      };
    },
    save(visitId, baseRevision, draft, actor, kind = 'edit', basis) {
      if (!EDITORS.has(actor.role)) throw noteEditForbidden();
      if (draft.visitId !== visitId) throw noteOfAnotherVisit();
      const saved = store.transaction(() => {
        const visit = visits.get(visitId);
        if (!visit) throw visitNotFound();
        const current = notes.get(visitId);
        if (current?.signedRevision !== undefined) throw noteSignedLocked();
        if ((current?.note.revision ?? 0) !== (baseRevision ?? 0)) {
          throw noteRevisionConflict(current?.note.revision ?? 0);
        }
        const note = notes.saveRevision(
          visitId,
          derived(visitId, draft, kind, kind === 'draft' ? basis : current?.basis),
          actor.id,
          kind,
          basis,
        );
        if (kind === 'draft') lifecycle.transition(visitId, DRAFTABLE, 'draft_ready');
        if (kind === 'edit') lifecycle.transition(visitId, EDITABLE, 'in_review');
        audit.append({
          actor: actor.id,
          action: kind === 'draft' ? 'note.drafted' : 'note.edited',
          objectType: 'visit',
          objectId: visitId,
        });
        return note;
      });
      events.emit('note:changed', { visitId, revision: saved.revision });
      return saved;
    },
  };
}

/** Every code's description from the code set; an accepted code that is not billable there is refused. */
function billableCodes(codes: readonly CodeSuggestion[], validate: CodeValidator): CodeSuggestion[] {
  const checked = checkAgainstCodeSet(codes, validate);
  if (checked.refused.length > 0) throw acceptedCodesNotBillable(checked.refused);
  return checked.codes;
}

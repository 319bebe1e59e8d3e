import type { Note } from '../../shared/domain/note.js';
import type { VisitState } from '../../shared/domain/visit.js';
import type { VisitId } from '../../shared/ids.js';
import type { Actor } from '../kernel/actor.js';
import type { EventBus } from '../kernel/event-bus.js';
import type { AuditLog } from '../audit/audit-log.js';
import type { Store } from '../store/store.js';
import type { VisitRecords } from '../store/visit-repository.js';
import type { VisitLifecycle } from '../visits/lifecycle.js';
import type { NoteRepository, RevisionKind, RevisionSummary } from './note-repository.js';
import { noteEditForbidden, noteNotFound, noteOfAnotherVisit, noteRevisionConflict, noteSignedLocked } from './note-errors.js';
import { visitNotFound } from '../store/errors.js';

export type NoteDraft = Omit<Note, 'revision' | 'updatedAt' | 'updatedBy'>;

export interface NoteView {
  readonly note: Note;
  readonly signed: boolean;
  readonly revisions: RevisionSummary[];
}

export interface NoteService {
  get(visitId: VisitId, actor: Actor): NoteView;
  /**
   * Saves an edit on top of `baseRevision`. If someone saved in between, the edit is refused
   * (conflict) instead of silently overwriting theirs: the caller reloads and re-applies.
   */
  save(visitId: VisitId, baseRevision: number | undefined, draft: NoteDraft, actor: Actor, kind?: RevisionKind): Note;
}

export interface NoteServiceDeps {
  readonly store: Store;
  readonly notes: NoteRepository;
  readonly visits: VisitRecords;
  readonly lifecycle: Pick<VisitLifecycle, 'transition'>;
  readonly audit: AuditLog;
  readonly events: EventBus;
}

const EDITORS = new Set(['clinician', 'scribe']);
/** A first draft moves a visit whose recording ended (or that never had one) to draft ready; later drafts leave the state alone. */
const DRAFTABLE: readonly VisitState[] = ['not_started', 'transcribing'];

export function createNoteService({ store, notes, visits, lifecycle, audit, events }: NoteServiceDeps): NoteService {
  return {
    get(visitId, actor) {
      const stored = notes.get(visitId);
      if (!stored) throw noteNotFound();
      audit.append({ actor: actor.id, action: 'note.viewed', objectType: 'visit', objectId: visitId });
      return { note: stored.note, signed: stored.signedRevision !== undefined, revisions: notes.revisions(visitId) };
    },
    save(visitId, baseRevision, draft, actor, kind = 'edit') {
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
        const note = notes.saveRevision(visitId, draft, actor.id, kind);
        if (kind === 'draft') lifecycle.transition(visitId, DRAFTABLE, 'draft_ready');
        if (kind === 'edit') lifecycle.transition(visitId, 'draft_ready', 'in_review');
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

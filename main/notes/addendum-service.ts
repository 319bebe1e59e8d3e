import type { NoteAddendum, SaveAddendumRequest } from '../../shared/domain/addendum.js';
import type { VisitId } from '../../shared/ids.js';
import type { Actor } from '../kernel/actor.js';
import type { EventBus } from '../kernel/event-bus.js';
import type { AuditLog } from '../audit/audit-log.js';
import type { Store } from '../store/store.js';
import type { VisitRecords } from '../store/visit-repository.js';
import type { OutboxRepository } from '../writeback/outbox-repository.js';
import type { AddendumRepository, StoredAddendum } from './addendum-repository.js';
import type { NoteRepository } from './note-repository.js';
import { visitNotFound } from '../store/errors.js';
import {
  addendumBeforeSigning,
  addendumEmpty,
  addendumRevisionConflict,
  addendumSignedMeanwhile,
  addendumWriterForbidden,
  noteNotFound,
} from './note-errors.js';

export interface AddendumServiceDeps {
  readonly store: Store;
  readonly notes: NoteRepository;
  readonly addenda: AddendumRepository;
  readonly visits: Pick<VisitRecords, 'get'>;
  /** Read only, for where each signed addendum's delivery stands. */
  readonly outbox: Pick<OutboxRepository, 'forVisit'>;
  readonly audit: AuditLog;
  readonly events: EventBus;
}

/**
 * Writing addenda to a signed note. The signed note never changes; later words are an addendum,
 * written by a clinician or a scribe (as drafts of the note are) and signed through main/signing/.
 * At most one addendum is open (unsigned) at a time; saving text continues it, and after it is
 * signed the next save starts addendum n + 1. An unsigned addendum leaves the visit as it was.
 */
export interface AddendumService {
  list(visitId: VisitId): NoteAddendum[];
  save(request: SaveAddendumRequest, actor: Actor): NoteAddendum;
}

const WRITERS = new Set<Actor['role']>(['clinician', 'scribe']);

/** Every addendum of the visit, and the one not signed yet (the one a save continues and a signature covers). */
export function openAddendum(addenda: AddendumRepository, visitId: VisitId): { all: StoredAddendum[]; open: StoredAddendum | undefined } {
  const all = addenda.list(visitId);
  const signed = new Set(addenda.attestations(visitId).map((a) => a.seq));
  return { all, open: all.find((a) => !signed.has(a.seq)) };
}

export function createAddendumService(deps: AddendumServiceDeps): AddendumService {
  return {
    list(visitId) {
      const signatures = new Map(deps.addenda.attestations(visitId).map((a) => [a.seq, a]));
      const jobs = new Map(deps.outbox.forVisit(visitId).flatMap((job) => (job.addendum ? [[job.addendum.seq, job] as const] : [])));
      return deps.addenda.list(visitId).map((stored): NoteAddendum => {
        const signature = signatures.get(stored.seq);
        const job = jobs.get(stored.seq);
        const base = {
          visitId,
          seq: stored.seq,
          revision: stored.revision,
          text: stored.text,
          updatedAt: stored.at,
          updatedBy: stored.author,
        };
        if (!signature) return { ...base, state: 'draft' };
        const state = job ? (job.waiting ? 'waiting' : job.state) : 'queued';
        const reason = job?.waiting ?? (job && job.state !== 'delivered' ? job.lastError : undefined);
        return {
          ...base,
          state,
          signedBy: signature.signedBy,
          signedAt: signature.signedAt,
          sha256: signature.sha256,
          jobId: job?.id,
          ...(reason ? { reason } : {}),
        };
      });
    },
    save({ visitId, baseRevision, text }, actor) {
      if (!WRITERS.has(actor.role)) throw addendumWriterForbidden();
      const saved = deps.store.transaction(() => {
        if (!deps.visits.get(visitId)) throw visitNotFound();
        const note = deps.notes.get(visitId);
        if (!note) throw noteNotFound();
        if (note.signedRevision === undefined) throw addendumBeforeSigning();
        const { all, open: current } = openAddendum(deps.addenda, visitId);
        if (current) {
          if (baseRevision !== current.revision) throw addendumRevisionConflict(current.revision);
        } else {
          if (baseRevision !== undefined) throw addendumSignedMeanwhile();
          if (text.trim() === '') throw addendumEmpty();
        }
        const seq = current?.seq ?? (all.at(-1)?.seq ?? 0) + 1;
        const stored = deps.addenda.saveText(visitId, seq, text, actor.id);
        deps.audit.append({
          actor: actor.id,
          action: current ? 'note.addendum_edited' : 'note.addendum_started',
          objectType: 'visit',
          objectId: visitId,
        });
        return stored;
      });
      deps.events.emit('addendum:changed', { visitId, seq: saved.seq, revision: saved.revision });
      return {
        visitId,
        seq: saved.seq,
        revision: saved.revision,
        text: saved.text,
        updatedAt: saved.at,
        updatedBy: saved.author,
        state: 'draft',
      };
    },
  };
}

import type { AddendumAttestation, NoteAddendum, SaveAddendumRequest } from '../../shared/domain/addendum.js';
import type { OutboxState } from '../../shared/domain/outbox.js';
import type { VisitId } from '../../shared/ids.js';
import type { Actor } from '../kernel/actor.js';
import type { EventBus } from '../kernel/event-bus.js';
import type { AuditLog } from '../audit/audit-log.js';
import { ForbiddenError, NotFoundError, ScribeError } from '../kernel/errors.js';
import type { AddendumRepository, StoredAddendum } from '../notes/addendum-repository.js';
import type { NoteRepository } from '../notes/note-repository.js';
import type { Clock } from '../store/clock.js';
import type { Store } from '../store/store.js';
import type { VisitRepository } from '../store/visit-repository.js';
import type { SignedNotePayload } from './delivery.js';
import { noteSha256 } from './note-integrity.js';
import type { OutboxRepository } from './outbox-repository.js';

export interface AddendumServiceDeps {
  readonly store: Store;
  readonly notes: NoteRepository;
  readonly addenda: AddendumRepository;
  readonly visits: VisitRepository;
  readonly outbox: OutboxRepository;
  readonly audit: AuditLog;
  readonly events: EventBus;
  readonly clock: Clock;
  /** Whether this role may sign (the same machine policy as the note's own signature). */
  readonly maySign?: (role: Actor['role']) => boolean;
}

export interface SignAddendumResult {
  readonly attestation: AddendumAttestation;
  readonly jobId: string;
  readonly state: OutboxState;
}

/**
 * Addenda to a signed note. The signed note never changes; later words are an addendum: written
 * by a clinician or a scribe (as drafts of the note are), signed by a clinician only, and sent as
 * its own document that points at the original. At most one addendum is open (unsigned) at a time;
 * saving text continues it, and after it is signed the next save starts addendum n + 1.
 *
 * Visit states: an unsigned addendum leaves the visit as it was. Signing one puts the visit back to
 * 'signed' (or keeps 'failed' when the original's delivery failed) until every signed part is
 * delivered; only then is the visit 'delivered' again.
 */
export interface AddendumService {
  list(visitId: VisitId): NoteAddendum[];
  save(request: SaveAddendumRequest, actor: Actor): NoteAddendum;
  sign(visitId: VisitId, revision: number, actor: Actor): SignAddendumResult;
}

const WRITERS = new Set<Actor['role']>(['clinician', 'scribe']);

export function createAddendumService(deps: AddendumServiceDeps): AddendumService {
  const maySign = deps.maySign ?? ((role) => role === 'clinician');

  function list(visitId: VisitId): NoteAddendum[] {
    const signatures = new Map(deps.addenda.attestations(visitId).map((a) => [a.seq, a]));
    const jobs = new Map(deps.outbox.forVisit(visitId).flatMap((job) => (job.addendum ? [[job.addendum.seq, job] as const] : [])));
    return deps.addenda.list(visitId).map((stored): NoteAddendum => {
      const signature = signatures.get(stored.seq);
      const job = jobs.get(stored.seq);
      const base = { visitId, seq: stored.seq, revision: stored.revision, text: stored.text, updatedAt: stored.at, updatedBy: stored.author };
      if (!signature) return { ...base, state: 'draft' };
      const state = job ? (job.waiting ? 'waiting' : job.state) : 'queued';
      const reason = job?.waiting ?? (job && job.state !== 'delivered' ? job.lastError : undefined);
      return { ...base, state, signedBy: signature.signedBy, signedAt: signature.signedAt, sha256: signature.sha256, jobId: job?.id, ...(reason ? { reason } : {}) };
    });
  }

  function open(visitId: VisitId): { all: StoredAddendum[]; open: StoredAddendum | undefined } {
    const all = deps.addenda.list(visitId);
    const signed = new Set(deps.addenda.attestations(visitId).map((a) => a.seq));
    return { all, open: all.find((a) => !signed.has(a.seq)) };
  }

  function requireSigned(visitId: VisitId): void {
    if (!deps.visits.get(visitId)) throw new NotFoundError('The visit');
    const stored = deps.notes.get(visitId);
    if (!stored) throw new NotFoundError('A note for this visit');
    if (stored.signedRevision === undefined) throw new ScribeError('conflict', 'The note is not signed yet: edit the note itself; an addendum is for changes after signing.');
  }

  return {
    list,
    save({ visitId, baseRevision, text }, actor) {
      if (!WRITERS.has(actor.role)) throw new ForbiddenError('Only clinicians and scribes can write addenda.');
      const saved = deps.store.transaction(() => {
        requireSigned(visitId);
        const { all, open: current } = open(visitId);
        if (current) {
          if (baseRevision !== current.revision) {
            throw new ScribeError('conflict', `The addendum was changed by someone else (now revision ${current.revision}). Reload it to see their changes, then edit again.`);
          }
        } else {
          if (baseRevision !== undefined) throw new ScribeError('conflict', 'The addendum you were editing has been signed. Reload to see it; further changes need a new addendum.');
          if (text.trim() === '') throw new ScribeError('bad_request', 'An addendum needs some text.');
        }
        const seq = current?.seq ?? (all.at(-1)?.seq ?? 0) + 1;
        const stored = deps.addenda.saveText(visitId, seq, text, actor.id);
        deps.audit.append({ actor: actor.id, action: current ? 'note.addendum_edited' : 'note.addendum_started', objectType: 'visit', objectId: visitId });
        return stored;
      });
      deps.events.emit('addendum:changed', { visitId, seq: saved.seq, revision: saved.revision });
      return { visitId, seq: saved.seq, revision: saved.revision, text: saved.text, updatedAt: saved.at, updatedBy: saved.author, state: 'draft' };
    },
    sign(visitId, revision, actor) {
      if (!maySign(actor.role)) throw new ForbiddenError('Only a clinician can sign an addendum.');
      const result = deps.store.transaction(() => {
        requireSigned(visitId);
        const visit = deps.visits.get(visitId)!;
        const stored = deps.notes.get(visitId)!;
        const { open: current } = open(visitId);
        if (!current) throw new ScribeError('conflict', 'There is no unsigned addendum to sign.');
        if (current.revision !== revision) {
          throw new ScribeError('conflict', `The addendum changed since you reviewed it (now revision ${current.revision}). Review the current text, then sign.`);
        }
        if (current.text.trim() === '') throw new ScribeError('bad_request', 'An empty addendum cannot be signed.');
        const original = deps.outbox.forVisit(visitId).find((job) => !job.addendum);
        if (!original) throw new ScribeError('conflict', 'The original note has no outbox job to follow.');

        const attestation: AddendumAttestation = {
          visitId,
          seq: current.seq,
          revision,
          sha256: noteSha256(current.text),
          signedBy: actor.id,
          signedAt: deps.clock.now().toISOString(),
        };
        deps.addenda.attest(attestation);
        const payload: SignedNotePayload = {
          visitId,
          patient: { ...visit.patient, id: visit.patientId },
          encounterId: visit.encounterId,
          practitioner: { id: actor.id },
          note: stored.note,
          noteText: current.text,
          attestation: { visitId, revision, noteSha256: attestation.sha256, signedBy: actor.id, signedAt: attestation.signedAt },
          codes: [],
          addendum: { seq: current.seq, parentJobId: original.id, parentIdempotencyKey: original.idempotencyKey },
        };
        const job = deps.outbox.enqueue({ visitId, route: original.route, payload, addendum: { seq: current.seq, parentJobId: original.id } });
        const visitState = deps.outbox.visitDeliveryState(visitId);
        deps.visits.setState(visitId, visitState);
        deps.audit.append({ actor: actor.id, action: 'note.addendum_signed', objectType: 'visit', objectId: visitId });
        deps.audit.append({ actor: actor.id, action: 'outbox.queued', objectType: 'outbox_job', objectId: job.id });
        return { attestation, jobId: job.id, visitState };
      });
      deps.events.emit('addendum:changed', { visitId, seq: result.attestation.seq, revision });
      deps.events.emit('visit:changed', { visitId, state: result.visitState });
      deps.events.emit('outbox:changed', { jobId: result.jobId, visitId, state: 'queued' });
      return { attestation: result.attestation, jobId: result.jobId, state: 'queued' };
    },
  };
}

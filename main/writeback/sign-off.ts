import { renderNoteText } from '../../shared/domain/note-text.js';
import { unsupportedSummary } from '../../shared/domain/unsupported-sentences.js';
import type { Attestation } from '../../shared/domain/note.js';
import type { OutboxRoute } from '../../shared/domain/outbox.js';
import type { VisitState } from '../../shared/domain/visit.js';
import type { VisitId } from '../../shared/ids.js';
import type { Actor } from '../kernel/actor.js';
import type { EventBus } from '../kernel/event-bus.js';
import type { AuditLog } from '../audit/audit-log.js';
import { ForbiddenError, NotFoundError, ScribeError } from '../kernel/errors.js';
import type { NoteRepository } from '../notes/note-repository.js';
import type { Clock } from '../store/clock.js';
import type { Store } from '../store/store.js';
import type { VisitRepository } from '../store/visit-repository.js';
import type { SignedNotePayload } from './delivery.js';
import { noteSha256 } from './note-integrity.js';
import type { OutboxRepository } from './outbox-repository.js';
import { UnsupportedSentencesError } from './unsupported-sentences-error.js';

export interface SignOffDeps {
  readonly store: Store;
  readonly notes: NoteRepository;
  readonly visits: VisitRepository;
  readonly outbox: OutboxRepository;
  readonly audit: AuditLog;
  readonly events: EventBus;
  readonly clock: Clock;
  /** Where signed notes go (site configuration or machine policy). */
  readonly route: () => OutboxRoute;
  /** Whether this role may sign (machine policy; clinicians by default). */
  readonly maySign?: (role: Actor['role']) => boolean;
}

export interface SignResult {
  readonly attestation: Attestation;
  readonly jobId: string;
}

export interface SignOff {
  /**
   * Signs exactly the revision the clinician was shown, locks it, and queues one outbox job. A
   * revision with unsupported sentences is signed only when `acknowledgeUnsupported` says the
   * clinician checked them.
   */
  sign(visitId: VisitId, revision: number, actor: Actor, options?: { readonly acknowledgeUnsupported?: boolean | undefined }): SignResult;
}

/** States a visit with an unsigned note can be in; never while audio is still being recorded. */
const SIGNABLE: readonly VisitState[] = ['not_started', 'transcribing', 'draft_ready', 'in_review', 'ready_for_signature'];

export function createSignOff(deps: SignOffDeps): SignOff {
  const maySign = deps.maySign ?? ((role) => role === 'clinician');
  return {
    sign(visitId, revision, actor, options = {}) {
      if (!maySign(actor.role)) throw new ForbiddenError('Only a clinician can sign a note.');
      const result = deps.store.transaction(() => {
        const visit = deps.visits.get(visitId);
        if (!visit) throw new NotFoundError('The visit');
        const stored = deps.notes.get(visitId);
        if (!stored) throw new NotFoundError('A note for this visit');
        if (stored.signedRevision !== undefined) throw new ScribeError('conflict', 'This note is already signed.');
        if (stored.note.revision !== revision) {
          throw new ScribeError('conflict', `The note changed since you reviewed it (now revision ${stored.note.revision}). Review the current note, then sign.`);
        }
        const noteText = renderNoteText(stored.note);
        if (noteText.trim() === '') throw new ScribeError('bad_request', 'An empty note cannot be signed.');
        const unsupported = unsupportedSummary(stored.note);
        if (unsupported.count > 0 && options.acknowledgeUnsupported !== true) throw new UnsupportedSentencesError(unsupported);
        const attestation: Attestation = {
          visitId,
          revision,
          noteSha256: noteSha256(noteText),
          signedBy: actor.id,
          signedAt: deps.clock.now().toISOString(),
        };
        deps.notes.attest(attestation);
        const payload: SignedNotePayload = {
          visitId,
          patient: { ...visit.patient, id: visit.patientId },
          encounterId: visit.encounterId,
          practitioner: { id: actor.id },
          note: stored.note,
          noteText,
          attestation,
          codes: stored.note.codes.filter((code) => code.status === 'accepted'),
        };
        const job = deps.outbox.enqueue({ visitId, route: deps.route(), payload });
        if (!deps.visits.transition(visitId, SIGNABLE, 'signed')) {
          throw new ScribeError('conflict', `A note cannot be signed while the visit is ${visit.state.replaceAll('_', ' ')}.`);
        }
        deps.audit.append({ actor: actor.id, action: 'note.signed', objectType: 'visit', objectId: visitId });
        if (unsupported.count > 0) {
          deps.audit.append({ actor: actor.id, action: 'note.unsupported_acknowledged', objectType: 'visit', objectId: `${visitId}:count:${unsupported.count}` });
        }
        deps.audit.append({ actor: actor.id, action: 'outbox.queued', objectType: 'outbox_job', objectId: job.id });
        return { attestation, jobId: job.id };
      });
      deps.events.emit('outbox:changed', { jobId: result.jobId, visitId, state: 'queued' });
      return result;
    },
  };
}

import type { VisitSummary } from '../../shared/api/contract.js';
import type { NewVisit, Visit, VisitState } from '../../shared/domain/visit.js';
import type { VisitId } from '../../shared/ids.js';
import type { Actor } from '../api/dispatch.js';
import type { EventBus } from '../api/event-bus.js';
import type { AuditLog } from '../audit/audit-log.js';
import { ForbiddenError, NotFoundError, ScribeError } from '../errors.js';
import type { Store } from '../store/store.js';
import type { VisitRepository } from '../store/visit-repository.js';

export interface VisitService {
  create(input: NewVisit, actor: Actor): Visit;
  get(id: VisitId, actor: Actor): Visit;
  list(query: { since?: string | undefined; states?: readonly VisitState[] | undefined; limit: number }): VisitSummary[];
  /** A reviewed draft handed to the clinician: draft ready or in review → ready for signature. */
  markReady(id: VisitId, actor: Actor): Visit;
}

export interface VisitServiceDeps {
  readonly store: Store;
  readonly visits: VisitRepository;
  readonly audit: AuditLog;
  readonly events: EventBus;
}

const MARKABLE: readonly VisitState[] = ['draft_ready', 'in_review'];

export function createVisitService({ store, visits, audit, events }: VisitServiceDeps): VisitService {
  return {
    create(input, actor) {
      const visit = store.transaction(() => {
        const created = visits.insert({ ...input, createdBy: actor.id });
        audit.append({ actor: actor.id, action: 'visit.created', objectType: 'visit', objectId: created.id });
        return created;
      });
      events.emit('visit:changed', { visitId: visit.id, state: visit.state });
      return visit;
    },
    get(id, actor) {
      const visit = visits.get(id);
      if (!visit) throw new NotFoundError('The visit');
      audit.append({ actor: actor.id, action: 'visit.viewed', objectType: 'visit', objectId: id });
      return visit;
    },
    markReady(id, actor) {
      if (actor.role !== 'clinician' && actor.role !== 'scribe') throw new ForbiddenError('Only clinicians and scribes can mark a note ready for signature.');
      const visit = store.transaction(() => {
        const current = visits.get(id);
        if (!current) throw new NotFoundError('The visit');
        if (current.state === 'ready_for_signature') return current;
        if (!visits.transition(id, MARKABLE, 'ready_for_signature')) {
          throw new ScribeError('conflict', `Only a drafted note in review can be marked ready for signature; this visit is ${current.state.replaceAll('_', ' ')}.`);
        }
        audit.append({ actor: actor.id, action: 'visit.marked_ready', objectType: 'visit', objectId: id });
        return visits.get(id)!;
      });
      events.emit('visit:changed', { visitId: visit.id, state: visit.state });
      return visit;
    },
    list(query) {
      return visits.list(query).map((visit) => ({
        id: visit.id,
        patientId: visit.patientId,
        encounterId: visit.encounterId,
        state: visit.state,
        createdAt: visit.createdAt,
        updatedAt: visit.updatedAt,
        patientName: visit.patient.displayName,
      }));
    },
  };
}

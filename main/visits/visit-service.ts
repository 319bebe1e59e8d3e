import type { VisitSummary } from '../../shared/api/contract.js';
import type { NewVisit, Visit, VisitState } from '../../shared/domain/visit.js';
import type { VisitId } from '../../shared/ids.js';
import type { Actor } from '../api/dispatch.js';
import type { EventBus } from '../api/event-bus.js';
import type { AuditLog } from '../audit/audit-log.js';
import { NotFoundError } from '../errors.js';
import type { Store } from '../store/store.js';
import type { VisitRepository } from '../store/visit-repository.js';

export interface VisitService {
  create(input: NewVisit, actor: Actor): Visit;
  get(id: VisitId, actor: Actor): Visit;
  list(query: { since?: string | undefined; states?: readonly VisitState[] | undefined; limit: number }): VisitSummary[];
}

export interface VisitServiceDeps {
  readonly store: Store;
  readonly visits: VisitRepository;
  readonly audit: AuditLog;
  readonly events: EventBus;
}

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

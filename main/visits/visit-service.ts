import type { VisitSummary } from '../../shared/api/contract.js';
import type { NewVisit, Visit, VisitState } from '../../shared/domain/visit.js';
import type { VisitId } from '../../shared/ids.js';
import type { Actor } from '../kernel/actor.js';
import type { EventBus } from '../kernel/event-bus.js';
import type { AuditLog } from '../audit/audit-log.js';
import type { Store } from '../store/store.js';
import type { VisitRecords } from '../store/visit-repository.js';
import { isUniqueViolation } from '../store/visit-encounter-index.js';
import type { VisitEncounterIndex } from '../store/visit-encounter-index.js';
import type { VisitLifecycle } from './lifecycle.js';
import { encounterOfAnotherPatient, markReadyForbidden, notReadyForSignature } from './visit-errors.js';
import { visitNotFound } from '../store/errors.js';

export interface VisitService {
  /** A visit with an encounter that already has one returns that visit instead (one visit per encounter). */
  create(input: NewVisit, actor: Actor): Visit;
  /** As create, saying whether the visit is new or the encounter's existing one. */
  createOrOpen(input: NewVisit, actor: Actor): { visit: Visit; created: boolean };
  get(id: VisitId, actor: Actor): Visit;
  list(query: { since?: string | undefined; states?: readonly VisitState[] | undefined; limit: number }): VisitSummary[];
  /** A reviewed draft handed to the clinician: draft ready or in review → ready for signature. */
  markReady(id: VisitId, actor: Actor): Visit;
}

export interface VisitServiceDeps {
  readonly store: Store;
  readonly visits: VisitRecords;
  readonly lifecycle: Pick<VisitLifecycle, 'transition'>;
  readonly audit: AuditLog;
  readonly events: EventBus;
  /** Finds the visit for an encounter; without it every create makes a new visit. */
  readonly encounters?: VisitEncounterIndex;
}

const MARKABLE: readonly VisitState[] = ['draft_ready', 'in_review'];

export function createVisitService({ store, visits, lifecycle, audit, events, encounters }: VisitServiceDeps): VisitService {
  /** The encounter's existing visit; a different patient on it is refused rather than mixed up. */
  const existingFor = (input: NewVisit): Visit | undefined => {
    const id = input.encounterId === undefined ? undefined : encounters?.find(input.encounterId);
    const existing = id === undefined ? undefined : visits.get(id);
    if (existing && existing.patientId !== input.patientId) {
      throw encounterOfAnotherPatient();
    }
    return existing;
  };
  const createOrOpen = (input: NewVisit, actor: Actor): { visit: Visit; created: boolean } => {
    let result: { visit: Visit; created: boolean };
    try {
      result = store.transaction(() => {
        const existing = existingFor(input);
        if (existing) return { visit: existing, created: false };
        const created = visits.insert({ ...input, createdBy: actor.id });
        if (input.encounterId !== undefined) encounters?.set(created.id, input.encounterId);
        audit.append({ actor: actor.id, action: 'visit.created', objectType: 'visit', objectId: created.id });
        return { visit: created, created: true };
      });
    } catch (error) {
      // Another process created the encounter's visit between our look and our insert: open theirs.
      const theirs = isUniqueViolation(error) ? existingFor(input) : undefined;
      if (!theirs) throw error;
      return { visit: theirs, created: false };
    }
    if (result.created) events.emit('visit:changed', { visitId: result.visit.id, state: result.visit.state });
    return result;
  };
  return {
    create: (input, actor) => createOrOpen(input, actor).visit,
    createOrOpen,
    get(id, actor) {
      const visit = visits.get(id);
      if (!visit) throw visitNotFound();
      audit.append({ actor: actor.id, action: 'visit.viewed', objectType: 'visit', objectId: id });
      return visit;
    },
    markReady(id, actor) {
      if (actor.role !== 'clinician' && actor.role !== 'scribe') throw markReadyForbidden();
      const visit = store.transaction(() => {
        const current = visits.get(id);
        if (!current) throw visitNotFound();
        if (current.state === 'ready_for_signature') return current;
        if (!lifecycle.transition(id, MARKABLE, 'ready_for_signature')) {
          throw notReadyForSignature(current.state);
        }
        audit.append({ actor: actor.id, action: 'visit.marked_ready', objectType: 'visit', objectId: id });
        return visits.get(id)!;
      });
      return visit;
    },
    list(query) {
      return visits.list(query).map((visit) =>
        'damaged' in visit
          ? visit
          : {
              id: visit.id,
              patientId: visit.patientId,
              encounterId: visit.encounterId,
              state: visit.state,
              createdAt: visit.createdAt,
              updatedAt: visit.updatedAt,
              patientName: visit.patient.displayName,
              reasonForVisit: visit.patient.reasonForVisit,
              clinician: visit.patient.clinician,
              scheduledAt: visit.patient.scheduledAt,
              createdBy: visit.createdBy,
            },
      );
    },
  };
}

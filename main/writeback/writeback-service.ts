import type { OutboxJobSummary } from '../../shared/domain/outbox.js';
import type { Actor } from '../kernel/actor.js';
import type { EventBus } from '../kernel/event-bus.js';
import type { AuditLog } from '../audit/audit-log.js';
import type { Store } from '../store/store.js';
import type { VisitLifecycle } from '../visits/lifecycle.js';
import { DELIVERY_STATES } from '../visits/lifecycle.js';
import type { OutboxRepository } from './outbox-repository.js';
import type { OutboxWorker, RunSummary } from './outbox-worker.js';
import { confirmForbidden, jobNotRetryable, jobOutcomeKnown, outboxJobNotFound } from './writeback-errors.js';
import { createSqliteWriteLedger } from './write-ledger.js';

/** The outbox as the API sees it (signing, which fills it, is main/signing/). */
export interface WritebackService {
  list(): OutboxJobSummary[];
  retry(jobId: string, actor: Actor): OutboxJobSummary;
  /**
   * A person's answer for a job whose outcome is unknown, after checking the EHR: delivered (its
   * receipt is what the ledger knows, with who confirmed) or not delivered (sent again; what was sent
   * without an answer is forgotten, since they found it absent). Clinicians and administrators; audited.
   */
  confirm(jobId: string, delivered: boolean, actor: Actor): OutboxJobSummary;
  runNow(): Promise<RunSummary>;
}

export function createWritebackService(deps: {
  store: Store;
  outbox: OutboxRepository;
  worker: OutboxWorker;
  lifecycle: Pick<VisitLifecycle, 'transition'>;
  audit: AuditLog;
  events: EventBus;
}): WritebackService {
  return {
    list: () => deps.outbox.list(),
    retry(jobId, actor) {
      const job = deps.store.transaction(() => {
        const existing = deps.outbox.get(jobId);
        if (!existing) throw outboxJobNotFound();
        if (!deps.outbox.requeue(jobId)) throw jobNotRetryable(existing.state);
        deps.lifecycle.transition(existing.visitId, DELIVERY_STATES, deps.outbox.visitDeliveryState(existing.visitId));
        deps.audit.append({ actor: actor.id, action: 'outbox.requeued', objectType: 'outbox_job', objectId: jobId });
        return deps.outbox.get(jobId)!;
      });
      deps.events.emit('outbox:changed', { jobId, visitId: job.visitId, state: 'queued' });
      return job;
    },
    confirm(jobId, delivered, actor) {
      if (actor.role !== 'clinician' && actor.role !== 'admin') throw confirmForbidden();
      const job = deps.store.transaction(() => {
        const existing = deps.outbox.get(jobId);
        if (!existing) throw outboxJobNotFound();
        if (existing.state !== 'unknown_outcome') throw jobOutcomeKnown(existing.state);
        const written = [...createSqliteWriteLedger(deps.store, jobId, existing.attempts).entries().values()];
        const resources = written.flatMap((e) =>
          e.state === 'created' && e.resourceId ? [{ type: e.resourceType, id: e.resourceId }] : [],
        );
        const answer = delivered
          ? {
              delivered: true as const,
              target: existing.target ?? 'fhir',
              receipt: { target: 'fhir' as const, resources, confirmedBy: actor.id },
            }
          : { delivered: false as const };
        if (!deps.outbox.confirmOutcome(jobId, answer)) throw jobOutcomeKnown(existing.state);
        deps.lifecycle.transition(existing.visitId, DELIVERY_STATES, deps.outbox.visitDeliveryState(existing.visitId));
        deps.audit.append({
          actor: actor.id,
          action: 'outbox.outcome_confirmed',
          objectType: 'outbox_job',
          objectId: `${jobId}:${delivered ? 'delivered' : 'not_delivered'}`,
        });
        return deps.outbox.get(jobId)!;
      });
      deps.events.emit('outbox:changed', { jobId, visitId: job.visitId, state: job.state === 'delivered' ? 'delivered' : 'queued' });
      return job;
    },
    runNow: () => deps.worker.runOnce(),
  };
}

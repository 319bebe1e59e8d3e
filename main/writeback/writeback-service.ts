import type { OutboxJobSummary } from '../../shared/domain/outbox.js';
import type { Actor } from '../kernel/actor.js';
import type { EventBus } from '../kernel/event-bus.js';
import type { AuditLog } from '../audit/audit-log.js';
import type { Store } from '../store/store.js';
import type { VisitLifecycle } from '../visits/lifecycle.js';
import { DELIVERY_STATES } from '../visits/lifecycle.js';
import type { OutboxRepository } from './outbox-repository.js';
import type { OutboxWorker, RunSummary } from './outbox-worker.js';
import { jobNotRetryable, outboxJobNotFound } from './writeback-errors.js';

/** The outbox as the API sees it (signing, which fills it, is main/signing/). */
export interface WritebackService {
  list(): OutboxJobSummary[];
  retry(jobId: string, actor: Actor): OutboxJobSummary;
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
    runNow: () => deps.worker.runOnce(),
  };
}

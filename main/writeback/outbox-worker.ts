import { randomUUID } from 'node:crypto';
import type { EventBus } from '../kernel/event-bus.js';
import type { AuditLog } from '../audit/audit-log.js';
import type { Logger } from '../log/logger.js';
import type { Clock } from '../store/clock.js';
import type { Store } from '../store/store.js';
import type { VisitLifecycle } from '../visits/lifecycle.js';
import { DELIVERY_STATES } from '../visits/lifecycle.js';
import type { BackoffPolicy } from './backoff.js';
import { DEFAULT_BACKOFF, retryDelayMs } from './backoff.js';
import type { ClaimedJob, OutboxRepository } from './outbox-repository.js';
import type { Deliverers } from './router.js';
import { routeDelivery } from './router.js';
import { createSqliteWriteLedger } from './write-ledger.js';

export interface OutboxWorkerDeps {
  readonly store: Store;
  readonly outbox: OutboxRepository;
  readonly lifecycle: Pick<VisitLifecycle, 'transition'>;
  readonly audit: AuditLog;
  readonly events: EventBus;
  /** The targets, or a function giving the current ones (they follow the settings). */
  readonly deliverers: Deliverers | (() => Promise<Deliverers>);
  readonly logger: Logger;
  readonly clock: Clock;
  readonly backoff?: BackoffPolicy;
  /** How long a claim lasts; a send gets at most half of it, so a live worker never loses its claim mid-send. */
  readonly leaseMs?: number;
  readonly random?: () => number;
}

export interface RunSummary {
  readonly delivered: number;
  readonly retrying: number;
  readonly failed: number;
}

export interface OutboxWorker {
  /** Claims every due job and attempts each once. */
  runOnce(): Promise<RunSummary>;
  start(intervalMs: number): void;
  stop(): Promise<void>;
}

const WORKER_ACTOR = 'system:outbox';

export function createOutboxWorker(deps: OutboxWorkerDeps): OutboxWorker {
  const workerId = `worker-${randomUUID()}`;
  const leaseMs = deps.leaseMs ?? 120_000;
  const backoff = deps.backoff ?? DEFAULT_BACKOFF;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<RunSummary> | undefined;

  const emit = (job: ClaimedJob, state: 'delivered' | 'queued' | 'failed') =>
    deps.events.emit('outbox:changed', { jobId: job.id, visitId: job.visitId, state });

  const HELD = {
    failed: { mark: (...a: Parameters<OutboxRepository['markFailed']>) => deps.outbox.markFailed(...a), action: 'outbox.failed' },
    unknown: {
      mark: (...a: Parameters<OutboxRepository['markUnknown']>) => deps.outbox.markUnknown(...a),
      action: 'outbox.outcome_unknown',
    },
  } as const;

  const currentDeliverers = () => (typeof deps.deliverers === 'function' ? deps.deliverers() : Promise.resolve(deps.deliverers));

  async function attempt(job: ClaimedJob): Promise<'delivered' | 'retrying' | 'failed'> {
    const signal = AbortSignal.timeout(leaseMs / 2);
    const { outcome, target } = await currentDeliverers()
      .then((deliverers) =>
        // An addendum goes where its original went (and nowhere else): the EHR that holds the note.
        routeDelivery(
          {
            jobId: job.id,
            idempotencyKey: job.idempotencyKey,
            attempt: job.attempts,
            payload: job.payload,
            parent: job.parent,
            ledger: createSqliteWriteLedger(deps.store, job.id, job.attempts),
          },
          job.parent ? job.parent.target : job.route,
          job.target ?? job.parent?.target,
          deliverers,
          signal,
        ),
      )
      .catch((error: unknown) => ({
        target: job.target,
        outcome: {
          kind: 'retry' as const,
          retryAfterMs: undefined,
          code: 'internal',
          reason: `The delivery failed unexpectedly (${error instanceof Error ? error.name : 'error'}); it will be retried.`,
        },
      }));

    switch (outcome.kind) {
      case 'delivered': {
        const kept = deps.store.transaction(() => {
          if (!deps.outbox.markDelivered(job.id, workerId, outcome.receipt.target, outcome.receipt)) return false;
          // 'delivered' only once everything signed for the visit (the note and its addenda) is.
          deps.lifecycle.transition(job.visitId, DELIVERY_STATES, deps.outbox.visitDeliveryState(job.visitId));
          deps.audit.append({ actor: WORKER_ACTOR, action: 'outbox.delivered', objectType: 'outbox_job', objectId: job.id });
          return true;
        });
        deps.logger.info('outbox.delivered', { jobId: job.id, target: outcome.receipt.target, attempt: job.attempts, kept });
        if (kept) emit(job, 'delivered');
        return 'delivered';
      }
      case 'failed':
      case 'unknown': {
        // Both wait for a person: a refusal to fix, or an arrival nobody can check but them.
        const held = outcome.kind === 'failed' ? HELD.failed : HELD.unknown;
        const kept = deps.store.transaction(() => {
          if (!held.mark(job.id, workerId, { target, code: outcome.code, reason: outcome.reason })) return false;
          deps.lifecycle.transition(job.visitId, DELIVERY_STATES, 'failed');
          deps.audit.append({ actor: WORKER_ACTOR, action: held.action, objectType: 'outbox_job', objectId: job.id });
          return true;
        });
        deps.logger.warn(held.action, { jobId: job.id, target, code: outcome.code, attempt: job.attempts });
        if (kept) emit(job, 'failed');
        return 'failed';
      }
      case 'retry':
      case 'unreachable': {
        const retryAfter = outcome.kind === 'retry' ? outcome.retryAfterMs : undefined;
        const next = new Date(deps.clock.now().getTime() + retryDelayMs(job.attempts, backoff, deps.random, retryAfter));
        const kept = deps.outbox.markRetry(job.id, workerId, { target, code: outcome.code, reason: outcome.reason }, next);
        deps.logger.info('outbox.retry_scheduled', { jobId: job.id, target, code: outcome.code, attempt: job.attempts });
        if (kept) emit(job, 'queued');
        return 'retrying';
      }
    }
  }

  async function runOnce(): Promise<RunSummary> {
    const counts = { delivered: 0, retrying: 0, failed: 0 };
    for (;;) {
      const jobs = deps.outbox.claimDue(workerId, leaseMs, 10);
      if (jobs.length === 0) return counts;
      for (const job of jobs) counts[await attempt(job)] += 1;
    }
  }

  return {
    runOnce() {
      running ??= runOnce().finally(() => (running = undefined));
      return running;
    },
    start(intervalMs) {
      const tick = () => {
        this.runOnce()
          .catch(() => deps.logger.error('outbox.run_failed'))
          .finally(() => {
            if (timer) timer = setTimeout(tick, intervalMs);
          });
      };
      timer = setTimeout(tick, 0);
    },
    async stop() {
      if (timer) clearTimeout(timer);
      timer = undefined;
      await running;
    },
  };
}

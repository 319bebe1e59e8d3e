import { randomUUID } from 'node:crypto';
import type { VisitId } from '../../shared/ids.js';
import type { OutboxJobSummary, OutboxRoute, OutboxState } from '../../shared/domain/outbox.js';
import type { Store } from '../store/store.js';
import type { DeliveryReceipt, DeliveryTarget, ParentDelivery, SignedNotePayload } from './delivery.js';

export interface ClaimedJob {
  readonly id: string;
  readonly visitId: VisitId;
  readonly idempotencyKey: string;
  readonly route: OutboxRoute;
  /** The target an earlier attempt may have reached; resends stay on it so nothing lands twice. */
  readonly target: DeliveryTarget | undefined;
  readonly attempts: number;
  readonly payload: SignedNotePayload;
  /** An addendum's original note job, delivered (an addendum is never claimed before it is). */
  readonly parent: ParentDelivery | undefined;
}

export interface AttemptResult {
  readonly target?: DeliveryTarget | undefined;
  readonly code: string;
  readonly reason: string;
}

/**
 * Outbox jobs in the store. A worker claims due jobs with a lease; every later write checks the
 * claim, so a worker whose lease ran out (it hung, or was killed) can never overwrite the result of
 * the worker that took the job over. In practice mode the claim becomes FOR UPDATE SKIP LOCKED.
 */
export interface OutboxRepository {
  /** `addendum`: the job of addendum `seq`, sent only once `parentJobId` (the original note's job) is delivered. */
  enqueue(job: { visitId: VisitId; route: OutboxRoute; payload: SignedNotePayload; addendum?: { seq: number; parentJobId: string } }): {
    id: string;
    idempotencyKey: string;
  };
  claimDue(workerId: string, leaseMs: number, limit: number): ClaimedJob[];
  markDelivered(jobId: string, workerId: string, target: DeliveryTarget, receipt: DeliveryReceipt): boolean;
  markRetry(jobId: string, workerId: string, result: AttemptResult, nextAttemptAt: Date): boolean;
  markFailed(jobId: string, workerId: string, result: AttemptResult): boolean;
  /** Sent, arrival unknowable: held for a person (never claimed again until they confirm). */
  markUnknown(jobId: string, workerId: string, result: AttemptResult): boolean;
  /** A person's answer to an unknown outcome: delivered (with what the ledger knows) or not (queued again). */
  confirmOutcome(
    jobId: string,
    answer: { delivered: true; receipt: DeliveryReceipt; target: DeliveryTarget } | { delivered: false },
  ): boolean;
  /** A person's retry of a failed job: back to queued, due now. */
  requeue(jobId: string): boolean;
  list(): OutboxJobSummary[];
  get(jobId: string): OutboxJobSummary | undefined;
  /** Every job of one visit, original first, then its addenda in order. */
  forVisit(visitId: VisitId): (OutboxJobSummary & { idempotencyKey: string })[];
  /** 'delivered' when every job of the visit is delivered, 'failed' when one failed or awaits a person's confirmation, else 'signed'. */
  visitDeliveryState(visitId: VisitId): 'signed' | 'delivered' | 'failed';
}

interface Row {
  id: string;
  visit_id: string;
  idempotency_key: string;
  route: OutboxRoute;
  target: DeliveryTarget | null;
  state: OutboxState;
  attempts: number;
  next_attempt_at: string;
  created_at: string;
  updated_at: string;
  delivered_at: string | null;
  last_error_code: string | null;
  last_error: Buffer | null;
  payload: Buffer;
  receipt: Buffer | null;
  attestation_seq: number;
  parent_job_id: string | null;
  parent_state?: OutboxState | null;
}

export function createSqliteOutboxRepository(store: Store): OutboxRepository {
  const { db, cipher, clock } = store;
  const at = (rowId: string, column: string) => ({ table: 'outbox_jobs', rowId, column });
  const now = () => clock.now().toISOString();

  const insert = db.prepare(
    `INSERT INTO outbox_jobs (id, visit_id, attestation_seq, parent_job_id, idempotency_key, route, state, attempts, next_attempt_at, created_at, updated_at, payload)
     VALUES (@id, @visitId, @seq, @parentJobId, @key, @route, 'queued', 0, @now, @now, @now, @payload)`,
  );
  const selectDue = db.prepare(
    `SELECT j.* FROM outbox_jobs j LEFT JOIN outbox_jobs p ON p.id = j.parent_job_id
     WHERE ((j.state = 'queued' AND j.next_attempt_at <= @now) OR (j.state = 'sending' AND j.claimed_until <= @now))
       AND (j.parent_job_id IS NULL OR p.state = 'delivered')
     ORDER BY j.next_attempt_at, j.created_at LIMIT @limit`,
  );
  const claim = db.prepare(
    `UPDATE outbox_jobs SET state = 'sending', claimed_by = @workerId, claimed_until = @until, attempts = attempts + 1, updated_at = @now
     WHERE id = @id AND ((state = 'queued' AND next_attempt_at <= @now) OR (state = 'sending' AND claimed_until <= @now))`,
  );
  const finish = (set: string) =>
    db.prepare(
      `UPDATE outbox_jobs SET ${set}, claimed_by = NULL, claimed_until = NULL, updated_at = @now WHERE id = @id AND state = 'sending' AND claimed_by = @workerId`,
    );
  const delivered = finish(
    `state = 'delivered', target = @target, receipt = @receipt, delivered_at = @now, last_error_code = NULL, last_error = NULL`,
  );
  const retry = finish(
    `state = 'queued', target = COALESCE(@target, target), next_attempt_at = @next, last_error_code = @code, last_error = @error`,
  );
  const failed = finish(`state = 'failed', target = COALESCE(@target, target), last_error_code = @code, last_error = @error`);
  const unknown = finish(`state = 'unknown_outcome', target = COALESCE(@target, target), last_error_code = @code, last_error = @error`);
  const confirmedDelivered = db.prepare(
    `UPDATE outbox_jobs SET state = 'delivered', target = @target, receipt = @receipt, delivered_at = @now, last_error_code = NULL, last_error = NULL, updated_at = @now
     WHERE id = @id AND state = 'unknown_outcome'`,
  );
  const confirmedNotDelivered = db.prepare(
    `UPDATE outbox_jobs SET state = 'queued', next_attempt_at = @now, updated_at = @now WHERE id = @id AND state = 'unknown_outcome'`,
  );
  const forgetUnanswered = db.prepare(`DELETE FROM outbox_writes WHERE job_id = ? AND state = 'sent'`);
  const requeue = db.prepare(
    `UPDATE outbox_jobs SET state = 'queued', next_attempt_at = @now, updated_at = @now WHERE id = @id AND state = 'failed'`,
  );
  const withParent = 'SELECT j.*, p.state AS parent_state FROM outbox_jobs j LEFT JOIN outbox_jobs p ON p.id = j.parent_job_id';
  const selectAll = db.prepare(`${withParent} ORDER BY j.created_at DESC`);
  const selectOne = db.prepare(`${withParent} WHERE j.id = ?`);
  const selectForVisit = db.prepare(`${withParent} WHERE j.visit_id = ? ORDER BY j.attestation_seq`);
  const selectStates = db.prepare('SELECT state FROM outbox_jobs WHERE visit_id = ?');
  const selectParent = db.prepare('SELECT id, idempotency_key, target, state, receipt FROM outbox_jobs WHERE id = ?');

  const summary = (row: Row): OutboxJobSummary => ({
    id: row.id,
    visitId: row.visit_id as VisitId,
    route: row.route,
    target: row.target ?? undefined,
    state: row.state,
    attempts: row.attempts,
    nextAttemptAt: row.state === 'queued' ? row.next_attempt_at : undefined,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    deliveredAt: row.delivered_at ?? undefined,
    lastErrorCode: row.last_error_code ?? undefined,
    lastError: row.last_error ? cipher.open(row.last_error, at(row.id, 'last_error')).toString('utf8') : undefined,
    receipt: row.receipt ? (cipher.openJson(row.receipt, at(row.id, 'receipt')) as OutboxJobSummary['receipt']) : undefined,
    addendum: row.parent_job_id ? { seq: row.attestation_seq, parentJobId: row.parent_job_id } : undefined,
    waiting: row.parent_job_id && row.state === 'queued' ? waitingReason(row.parent_state) : undefined,
  });

  const parentOf = (row: Row): ParentDelivery | undefined => {
    if (!row.parent_job_id) return undefined;
    const parent = selectParent.get(row.parent_job_id) as Pick<Row, 'id' | 'idempotency_key' | 'target' | 'state' | 'receipt'> | undefined;
    if (!parent || parent.state !== 'delivered' || !parent.target || !parent.receipt) return undefined;
    return {
      jobId: parent.id,
      idempotencyKey: parent.idempotency_key,
      target: parent.target,
      receipt: cipher.openJson(parent.receipt, at(parent.id, 'receipt')) as DeliveryReceipt,
    };
  };

  return {
    enqueue({ visitId, route, payload, addendum }) {
      const id = randomUUID();
      const key = randomUUID();
      const seq = addendum?.seq ?? 0;
      insert.run({
        id,
        visitId,
        seq,
        parentJobId: addendum?.parentJobId ?? null,
        key,
        route,
        now: now(),
        payload: cipher.sealJson(payload, at(id, 'payload')),
      });
      return { id, idempotencyKey: key };
    },
    claimDue(workerId, leaseMs, limit) {
      return store.transaction(() => {
        const current = now();
        const until = new Date(clock.now().getTime() + leaseMs).toISOString();
        const claimed: ClaimedJob[] = [];
        for (const row of selectDue.all({ now: current, limit }) as Row[]) {
          if (claim.run({ id: row.id, workerId, until, now: current }).changes !== 1) continue;
          claimed.push({
            id: row.id,
            visitId: row.visit_id as VisitId,
            idempotencyKey: row.idempotency_key,
            route: row.route,
            target: row.target ?? undefined,
            attempts: row.attempts + 1,
            payload: cipher.openJson(row.payload, at(row.id, 'payload')) as SignedNotePayload,
            parent: parentOf(row),
          });
        }
        return claimed;
      });
    },
    markDelivered(id, workerId, target, receipt) {
      return delivered.run({ id, workerId, target, receipt: cipher.sealJson(receipt, at(id, 'receipt')), now: now() }).changes === 1;
    },
    markRetry(id, workerId, result, nextAttemptAt) {
      const error = cipher.seal(Buffer.from(result.reason, 'utf8'), at(id, 'last_error'));
      return (
        retry.run({ id, workerId, target: result.target ?? null, next: nextAttemptAt.toISOString(), code: result.code, error, now: now() })
          .changes === 1
      );
    },
    markFailed(id, workerId, result) {
      const error = cipher.seal(Buffer.from(result.reason, 'utf8'), at(id, 'last_error'));
      return failed.run({ id, workerId, target: result.target ?? null, code: result.code, error, now: now() }).changes === 1;
    },
    markUnknown(id, workerId, result) {
      const error = cipher.seal(Buffer.from(result.reason, 'utf8'), at(id, 'last_error'));
      return unknown.run({ id, workerId, target: result.target ?? null, code: result.code, error, now: now() }).changes === 1;
    },
    confirmOutcome(id, answer) {
      return store.transaction(() => {
        if (answer.delivered) {
          const receipt = cipher.sealJson(answer.receipt, at(id, 'receipt'));
          return confirmedDelivered.run({ id, target: answer.target, receipt, now: now() }).changes === 1;
        }
        // The person checked: what was sent without an answer is not there, so it may be sent again.
        if (confirmedNotDelivered.run({ id, now: now() }).changes !== 1) return false;
        forgetUnanswered.run(id);
        return true;
      });
    },
    requeue(id) {
      return requeue.run({ id, now: now() }).changes === 1;
    },
    list() {
      return (selectAll.all() as Row[]).map(summary);
    },
    get(id) {
      const row = selectOne.get(id) as Row | undefined;
      return row ? summary(row) : undefined;
    },
    forVisit(visitId) {
      return (selectForVisit.all(visitId) as Row[]).map((row) => ({ ...summary(row), idempotencyKey: row.idempotency_key }));
    },
    visitDeliveryState(visitId) {
      const states = (selectStates.all(visitId) as { state: OutboxState }[]).map((r) => r.state);
      if (states.includes('failed') || states.includes('unknown_outcome')) return 'failed';
      return states.length > 0 && states.every((state) => state === 'delivered') ? 'delivered' : 'signed';
    },
  };
}

function waitingReason(parentState: OutboxState | null | undefined): string | undefined {
  if (parentState === 'delivered') return undefined;
  if (parentState === 'failed')
    return 'Waiting for the original note, whose delivery failed: fix and retry the original note first; this addendum follows it.';
  return 'Waiting for the original note to be delivered; this addendum is sent right after it.';
}

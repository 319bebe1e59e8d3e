import type { VisitId } from '../../shared/ids.js';
import type { AuditLog } from '../audit/audit-log.js';
import type { Logger } from '../log/logger.js';
import type { AudioRepository } from '../store/audio-repository.js';
import type { Clock } from '../store/clock.js';
import type { Store } from '../store/store.js';
import type { PageScrubber } from './page-scrubber.js';
import type { RetentionRepository } from './retention-repository.js';

export interface RetentionDeps {
  readonly store: Pick<Store, 'transaction'>;
  readonly audio: Pick<AudioRepository, 'destroyAudio'>;
  readonly records: Pick<RetentionRepository, 'confirmedWithAudio'>;
  readonly audit: AuditLog;
  readonly logger: Logger;
  readonly clock: Clock;
  /** `audioRetentionDays`, read at each run. */
  readonly retentionDays: () => number;
  /** Makes deleted pages leave the database files (shared with visit erasure). */
  readonly scrubber: PageScrubber;
}

export interface RetentionVisit {
  readonly visitId: VisitId;
  /** When the EHR confirmed the visit's last signed note or addendum. */
  readonly confirmedAt: string;
  /** Audio chunks deleted (absent in a dry run). */
  readonly chunks?: number;
}

export interface RetentionReport {
  readonly dryRun: boolean;
  readonly retentionDays: number;
  /** Audio of visits confirmed at or before this instant goes. */
  readonly cutoff: string;
  /** What went (or, in a dry run, would go). */
  readonly visits: RetentionVisit[];
  /** Whether the database files no longer hold the deleted pages (null in a dry run, or when nothing was deleted). */
  readonly fileScrubbed: boolean | null;
}

export interface RetentionService {
  /** Destroys the audio of every visit confirmed longer ago than the retention period (a dry run only lists it). */
  run(options: { readonly dryRun: boolean; readonly actorId?: string }): Promise<RetentionReport>;
  /** Runs now and then every `intervalMs`, as the outbox worker does, until stopped. */
  start(intervalMs: number): void;
  stop(): Promise<void>;
}

const SYSTEM_ACTOR = 'system:retention';
const DAY_MS = 86_400_000;

/**
 * `audioRetentionDays` enforced: audio of visits whose every signed note the EHR confirmed is
 * crypto-erased once the period since the last confirmation has passed. Undelivered visits are never
 * touched (they are not `delivered`); each purge is one transaction with its audit record.
 */
export function createRetentionService(deps: RetentionDeps): RetentionService {
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<RetentionReport> | undefined;
  let stopped = false;

  async function runOnce(dryRun: boolean, actorId: string): Promise<RetentionReport> {
    const retentionDays = deps.retentionDays();
    const cutoff = new Date(deps.clock.now().getTime() - retentionDays * DAY_MS).toISOString();
    const due = deps.records.confirmedWithAudio().filter((visit) => visit.confirmedAt <= cutoff);
    if (dryRun) return { dryRun, retentionDays, cutoff, visits: due, fileScrubbed: null };

    const visits: RetentionVisit[] = [];
    for (const candidate of due) {
      // Stopping (the store is about to close) ends a run between visits; the next start picks up the rest.
      if (stopped) break;
      const purged = deps.store.transaction(() => {
        // Still confirmed and still due: an addendum signed since the listing puts the visit back to signed.
        const still = deps.records.confirmedWithAudio(candidate.visitId)[0];
        if (!still || still.confirmedAt > cutoff) return undefined;
        const { chunks } = deps.audio.destroyAudio(candidate.visitId);
        deps.audit.append({ actor: actorId, action: 'audio.purged', objectType: 'visit', objectId: candidate.visitId });
        return { ...still, chunks };
      });
      if (purged) visits.push(purged);
      // One visit at a time, letting other work in between: an hour of audio is a few hundred MB to zero.
      await new Promise((resolve) => setImmediate(resolve));
    }
    // A checkpoint another connection kept from finishing is tried again at every run until it does.
    const fileScrubbed = visits.length > 0 ? deps.scrubber.afterDeletion() : deps.scrubber.retryPending();
    if (fileScrubbed === false) deps.logger.warn('retention.scrub_deferred', { visits: visits.length });
    if (visits.length > 0) deps.logger.info('retention.purged', { visits: visits.length, retentionDays });
    return { dryRun, retentionDays, cutoff, visits, fileScrubbed };
  }

  const service: RetentionService = {
    run({ dryRun, actorId = SYSTEM_ACTOR }) {
      if (dryRun) return runOnce(true, actorId);
      // Runs never overlap: a second one waits for the first, then looks again.
      const next = (running ?? Promise.resolve()).catch(() => undefined).then(() => runOnce(false, actorId));
      running = next;
      const clear = () => {
        if (running === next) running = undefined;
      };
      next.then(clear, clear);
      return next;
    },
    start(intervalMs) {
      stopped = false;
      const tick = () => {
        service
          .run({ dryRun: false })
          .catch((error: unknown) =>
            deps.logger.error('retention.run_failed', { type: error instanceof Error ? error.name : typeof error }),
          )
          .finally(() => {
            if (timer) timer = setTimeout(tick, intervalMs);
          });
      };
      timer = setTimeout(tick, 0);
    },
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      timer = undefined;
      await running?.catch(() => undefined);
    },
  };
  return service;
}

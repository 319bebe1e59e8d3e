import type { PolicyRole } from '../../shared/domain/policy.js';
import type { VisitId } from '../../shared/ids.js';
import type { AuditLog } from '../audit/audit-log.js';
import type { EventBus } from '../kernel/event-bus.js';
import type { Actor } from '../kernel/actor.js';
import type { Logger } from '../log/logger.js';
import type { Clock } from '../store/clock.js';
import { visitNotFound } from '../store/errors.js';
import type { Store } from '../store/store.js';
import { eraseUndelivered, eraseWhileCapturing, eraseWhileTranscribing } from './retention-errors.js';
import type { PageScrubber } from './page-scrubber.js';
import type { RetentionRepository } from './retention-repository.js';

export interface VisitErasureDeps {
  readonly store: Pick<Store, 'transaction'>;
  readonly records: Pick<RetentionRepository, 'visitExists' | 'undeliveredJobs' | 'capturing' | 'eraseVisit'>;
  readonly audit: AuditLog;
  readonly events: EventBus;
  readonly logger: Logger;
  readonly clock: Clock;
  /** The machine policy's `visitErasureRoles`; throws when this role may not erase. */
  readonly assertMayErase: (role: PolicyRole) => void;
  /** Whether a transcription run is writing to the visit. */
  readonly transcribing: (visitId: VisitId) => boolean;
  /** Makes deleted pages leave the database files (shared with the retention run, which retries). */
  readonly scrubber: PageScrubber;
}

export interface ErasedVisit {
  readonly visitId: VisitId;
  readonly erasedAt: string;
  /** Whether the files no longer hold the deleted pages (false: another connection held them; the next retention run clears them). */
  readonly fileScrubbed: boolean;
}

export interface VisitErasure {
  /** Erases the local copy of one visit for a patient's erasure request; what the EHR holds stays there. */
  erase(visitId: VisitId, actor: Actor): ErasedVisit;
}

export function createVisitErasure(deps: VisitErasureDeps): VisitErasure {
  return {
    erase(visitId, actor) {
      deps.assertMayErase(actor.role);
      deps.store.transaction(() => {
        if (!deps.records.visitExists(visitId)) throw visitNotFound();
        // A signed note the EHR has not confirmed exists only here: it must reach the chart first.
        const undelivered = deps.records.undeliveredJobs(visitId);
        if (undelivered > 0) throw eraseUndelivered(undelivered);
        if (deps.records.capturing(visitId)) throw eraseWhileCapturing();
        if (deps.transcribing(visitId)) throw eraseWhileTranscribing();
        // Audio key, chunks, transcript, note and revisions, addenda, attestations, delivered jobs, the visit.
        deps.records.eraseVisit(visitId);
        deps.audit.append({ actor: actor.id, action: 'visit.erased', objectType: 'visit', objectId: visitId });
      });
      const fileScrubbed = deps.scrubber.afterDeletion();
      deps.logger.info('visit.erased', { fileScrubbed });
      deps.events.emit('visit:erased', { visitId });
      return { visitId, erasedAt: deps.clock.now().toISOString(), fileScrubbed };
    },
  };
}

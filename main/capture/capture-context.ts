import type { EventBus } from '../kernel/event-bus.js';
import type { AuditLog } from '../audit/audit-log.js';
import type { Logger } from '../log/logger.js';
import type { AudioRepository, TrackOwner } from '../store/audio-repository.js';
import type { ConsentRepository } from '../store/consent-repository.js';
import type { Store } from '../store/store.js';
import type { VisitRecords } from '../store/visit-repository.js';
import type { VisitLifecycle } from '../visits/lifecycle.js';
import type { CaptureConsent } from './capture-consent.js';
import type { SegmentFollowers } from './segment-followers.js';
import type { SegmenterOptions } from './speech-segmenter.js';
import type { TrackLeases } from './track-leases.js';
import type { VadProvider } from './vad-provider.js';

export interface CaptureServiceDeps {
  readonly store: Store;
  /** Visits are read here; their state changes only through the lifecycle. */
  readonly visits: Pick<VisitRecords, 'get'>;
  /** How the capture parts move a visit (recording, transcribing): the only way its state changes. */
  readonly lifecycle: Pick<VisitLifecycle, 'transition'>;
  readonly audio: AudioRepository;
  readonly consents: ConsentRepository;
  readonly audit: AuditLog;
  readonly events: EventBus;
  readonly logger: Logger;
  readonly vad: VadProvider;
  /** Policy: recording waits for recorded consent. Default true; a function is asked at each start. */
  readonly requireConsent?: boolean | (() => boolean);
  /** This process; tests give each service its own. */
  readonly owner?: TrackOwner;
  /** How long a recording stays ours without a renewal; a dead process's recording is recovered after it. */
  readonly leaseMs?: number;
  readonly heartbeatMs?: number;
  readonly isProcessAlive?: (pid: number) => boolean;
  readonly segmenter?: Partial<SegmenterOptions>;
}

/** What the capture service's parts (live recording, import, export) share. */
export interface CaptureContext {
  readonly store: Store;
  readonly visits: Pick<VisitRecords, 'get'>;
  readonly lifecycle: Pick<VisitLifecycle, 'transition'>;
  readonly audio: AudioRepository;
  readonly audit: AuditLog;
  readonly logger: Logger;
  /** The tracks this process writes, and the leases that say so. */
  readonly leases: TrackLeases;
  readonly followers: SegmentFollowers;
  readonly consent: CaptureConsent;
}

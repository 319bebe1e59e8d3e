import type { VisitId } from '../../shared/ids.js';
import type { EventBus } from '../kernel/event-bus.js';
import type { AuditLog } from '../audit/audit-log.js';
import type { Logger } from '../log/logger.js';
import type { AudioRepository, TrackOwner } from '../store/audio-repository.js';
import type { ConsentRepository } from '../store/consent-repository.js';
import type { Store } from '../store/store.js';
import type { VisitRepository } from '../store/visit-repository.js';
import type { VisitLifecycle } from '../visits/lifecycle.js';
import type { SegmentFollower } from './segment-follower.js';
import type { SegmenterOptions } from './speech-segmenter.js';
import type { VadProvider } from './vad-provider.js';

export interface CaptureServiceDeps {
  readonly store: Store;
  readonly visits: VisitRepository;
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
export interface CaptureContext extends Required<Omit<CaptureServiceDeps, 'segmenter' | 'isProcessAlive' | 'requireConsent'>> {
  readonly segmenter: Partial<SegmenterOptions> | undefined;
  readonly isProcessAlive: ((pid: number) => boolean) | undefined;
  /** The lease end to write now. */
  leaseUntil(): string;
  /** Tracks this process writes (recording, paused or importing): their leases are renewed. */
  readonly active: Map<VisitId, ActiveTrack>;
  startHeartbeat(): void;
  /** A follower that stores segments and announces them, or undefined without a model. */
  follow(visitId: VisitId): Promise<SegmentFollower | undefined>;
  /** Stops a follower from `follow` and forgets it. */
  release(follower: SegmentFollower | undefined): Promise<void>;
  requireConsentFor(visitId: VisitId): void;
}

export interface ActiveTrack {
  follower: SegmentFollower | undefined;
}

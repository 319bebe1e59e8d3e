import type { VisitId } from '../../shared/ids.js';
import type { Logger } from '../log/logger.js';
import type { AudioRepository, TrackOwner, TrackStatus } from '../store/audio-repository.js';
import type { Store } from '../store/store.js';
import type { SegmentFollower } from './segment-follower.js';

/** A recording this process records, live or paused. */
export const LIVE: readonly TrackStatus[] = ['recording', 'paused'];
/** A track some process writes to and holds a lease on. */
export const OWNED: readonly TrackStatus[] = ['recording', 'paused', 'importing'];

/** A track this process writes to, with the follower that segments it (none without a model). */
export interface ActiveTrack {
  follower: SegmentFollower | undefined;
}

/**
 * The leases this process holds on the tracks it writes (recording, paused or importing). While a
 * track is held its lease is renewed on a heartbeat; another process takes a recording over only once
 * its lease ran out. Losing a lease (another process judged us dead) lets go of the track at once.
 */
export interface TrackLeases {
  readonly owner: TrackOwner;
  /** The lease end to write now. */
  leaseUntil(): string;
  /** Starts renewing the visit's lease; the returned entry is where its follower goes. */
  hold(visitId: VisitId): ActiveTrack;
  /** Stops renewing it; returns what was held. */
  letGo(visitId: VisitId): ActiveTrack | undefined;
  /** The visit's entry while it is held (the same object `hold` returned). */
  held(visitId: VisitId): ActiveTrack | undefined;
  /** Renews every lease held now (the heartbeat calls this). */
  renew(): void;
  /** Stops the heartbeat and lets go of everything, writing nothing. */
  close(): void;
}

export interface TrackLeasesDeps {
  readonly store: Store;
  readonly audio: AudioRepository;
  readonly logger: Logger;
  readonly owner: TrackOwner;
  readonly leaseMs: number;
  readonly heartbeatMs: number;
  /** A lease was lost: the track is no longer held, and what was held is handed over. */
  readonly onLost: (visitId: VisitId, entry: ActiveTrack) => void;
}

export function createTrackLeases({ store, audio, logger, owner, leaseMs, heartbeatMs, onLost }: TrackLeasesDeps): TrackLeases {
  const active = new Map<VisitId, ActiveTrack>();
  let heartbeat: NodeJS.Timeout | undefined;
  let closed = false;

  const leaseUntil = () => new Date(store.clock.now().getTime() + leaseMs).toISOString();

  function stopHeartbeat(): void {
    if (heartbeat) clearInterval(heartbeat);
    heartbeat = undefined;
  }

  function renew(): void {
    if (closed) return;
    for (const [visitId, entry] of [...active]) {
      try {
        if (!audio.updateTrack(visitId, { from: OWNED, ownedBy: owner.instance }, { leaseUntil: leaseUntil() })) {
          // Another process judged us dead and took the recording over: stop writing to it.
          logger.warn('capture.lease_lost', { visitId });
          active.delete(visitId);
          onLost(visitId, entry);
        }
      } catch (error) {
        logger.error('capture.lease_failed', { visitId, error: error instanceof Error ? error.name : typeof error });
      }
    }
    if (active.size === 0) stopHeartbeat();
  }

  return {
    owner,
    leaseUntil,
    hold(visitId) {
      const entry: ActiveTrack = { follower: undefined };
      active.set(visitId, entry);
      if (!heartbeat && !closed) {
        heartbeat = setInterval(renew, heartbeatMs);
        heartbeat.unref();
      }
      return entry;
    },
    letGo(visitId) {
      const entry = active.get(visitId);
      active.delete(visitId);
      return entry;
    },
    held: (visitId) => active.get(visitId),
    renew,
    close() {
      closed = true;
      stopHeartbeat();
      active.clear();
    },
  };
}

import type { VisitId } from '../../shared/ids.js';
import type { AuditLog } from '../audit/audit-log.js';
import type { Logger } from '../log/logger.js';
import type { AudioRepository, AudioTrack, TrackOwner } from '../store/audio-repository.js';
import type { Store } from '../store/store.js';
import type { VisitLifecycle } from '../visits/lifecycle.js';
import { OWNED } from './track-leases.js';
import { ownerIsGone } from './track-owner.js';

export interface SweepResult {
  readonly interrupted: VisitId[];
  readonly discarded: VisitId[];
}

/**
 * Recordings whose process is gone: a recording becomes interrupted (the visit too, so it can be
 * resumed or finished), and an import that never finished is removed with its audio.
 */
export interface InterruptedRecordings {
  /** Looks at one visit's track (before acting on it). */
  check(visitId: VisitId): void;
  /** Looks at every track some process holds (at start-up). */
  checkAll(): SweepResult;
}

export interface InterruptedRecordingsDeps {
  readonly store: Store;
  readonly audio: AudioRepository;
  readonly lifecycle: Pick<VisitLifecycle, 'transition'>;
  readonly audit: AuditLog;
  readonly logger: Logger;
  readonly owner: TrackOwner;
  readonly isProcessAlive: ((pid: number) => boolean) | undefined;
}

export function createInterruptedRecordings({
  store,
  audio,
  lifecycle,
  audit,
  logger,
  owner,
  isProcessAlive,
}: InterruptedRecordingsDeps): InterruptedRecordings {
  function sweep(track: AudioTrack, result: SweepResult): void {
    const visitId = track.visitId;
    const changed = store.transaction(() => {
      const current = audio.track(visitId);
      if (!current || !OWNED.includes(current.status) || !ownerIsGone(current, owner, store.clock.now(), isProcessAlive)) return undefined;
      if (current.status === 'importing') {
        audio.deleteAudio(visitId);
        audio.deleteTrack(visitId);
        audit.append({ actor: 'system', action: 'audio.import_discarded', objectType: 'visit', objectId: visitId });
        return 'discarded' as const;
      }
      audio.updateTrack(visitId, { from: [current.status] }, { status: 'interrupted', owner: null, leaseUntil: null });
      lifecycle.transition(visitId, 'recording', 'recording_interrupted');
      audit.append({ actor: 'system', action: 'capture.interrupted', objectType: 'visit', objectId: visitId });
      return 'interrupted' as const;
    });
    if (!changed) return;
    result[changed].push(visitId);
    logger.warn(changed === 'interrupted' ? 'capture.interrupted' : 'capture.import_discarded', { visitId, chunks: track.chunkCount });
  }

  return {
    check(visitId) {
      const track = audio.track(visitId);
      if (track && OWNED.includes(track.status)) sweep(track, { interrupted: [], discarded: [] });
    },
    checkAll() {
      const result: SweepResult = { interrupted: [], discarded: [] };
      for (const track of audio.tracksWithStatus(OWNED)) sweep(track, result);
      return result;
    },
  };
}

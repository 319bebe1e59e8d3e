import type { VisitId } from '../../shared/ids.js';
import type { EventBus } from '../kernel/event-bus.js';
import type { Logger } from '../log/logger.js';
import type { AudioRepository } from '../store/audio-repository.js';
import type { SegmentFollower } from './segment-follower.js';
import { createSegmentFollower } from './segment-follower.js';
import type { SegmenterOptions } from './speech-segmenter.js';
import type { VadProvider } from './vad-provider.js';

/**
 * The voice-activity followers of one capture service: each stores the speech segments of one
 * visit's audio and announces them (`capture:segment`). Kept together so closing stops every one of
 * them before the store closes under them.
 */
export interface SegmentFollowers {
  /** A follower for the visit, or undefined without a model (or once closed). */
  follow(visitId: VisitId): Promise<SegmentFollower | undefined>;
  /** Stops a follower from `follow` and forgets it. */
  release(follower: SegmentFollower | undefined): Promise<void>;
  /**
   * Runs the detector over whatever the stored (stopped) recording still lacks segments for, closes
   * the last one, and marks the track's segments final if it could. One at a time per visit.
   */
  finish(visitId: VisitId, follower?: SegmentFollower): Promise<void>;
  /** Stops every follower synchronously; resolves once they and any finishing work have ended. */
  close(): Promise<void>;
}

export interface SegmentFollowersDeps {
  readonly audio: AudioRepository;
  readonly vad: VadProvider;
  readonly events: EventBus;
  readonly logger: Logger;
  readonly segmenter: Partial<SegmenterOptions> | undefined;
}

export function createSegmentFollowers({ audio, vad, events, logger, segmenter }: SegmentFollowersDeps): SegmentFollowers {
  const alive = new Set<SegmentFollower>();
  const finishing = new Map<VisitId, Promise<void>>();
  let closed = false;

  async function follow(visitId: VisitId): Promise<SegmentFollower | undefined> {
    const model = await vad.get();
    if (!model || closed) return undefined;
    const follower = createSegmentFollower({
      visitId,
      audio,
      model,
      logger,
      segmenterOptions: segmenter,
      onSegment: (segment) => events.emit('capture:segment', { visitId, ...segment }),
    });
    alive.add(follower);
    return follower;
  }

  async function release(follower: SegmentFollower | undefined): Promise<void> {
    if (!follower) return;
    alive.delete(follower);
    await follower.cancel();
  }

  function finish(visitId: VisitId, given?: SegmentFollower): Promise<void> {
    const running = finishing.get(visitId);
    if (running) return running;
    const work = (async () => {
      const follower = given ?? (await follow(visitId));
      try {
        const track = audio.track(visitId);
        if (!follower || !track || closed) return;
        await follower.finish(track.sampleCount);
        if (follower.healthy && !closed) audio.updateTrack(visitId, { from: ['stopped'] }, { segmentsFinal: true });
      } finally {
        await release(follower);
      }
    })().finally(() => finishing.delete(visitId));
    finishing.set(visitId, work);
    return work;
  }

  return {
    follow,
    release,
    finish,
    async close() {
      closed = true;
      const stopping = [...alive].map((follower) => follower.cancel());
      alive.clear();
      await Promise.allSettled([...stopping, ...finishing.values()]);
    },
  };
}

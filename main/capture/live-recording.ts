import type { AppendResult, AudioFrame, RecoverAction } from '../../shared/domain/capture.js';
import { MAX_FRAME_BYTES } from '../../shared/domain/capture.js';
import type { Visit } from '../../shared/domain/visit.js';
import type { VisitId } from '../../shared/ids.js';
import type { Actor } from '../kernel/actor.js';
import type { AudioTrack } from '../store/audio-repository.js';
import { visitNotFound } from '../store/errors.js';
import type { CaptureContext } from './capture-context.js';
import {
  audioBeingImported,
  frameConflict,
  frameTooLate,
  invalidFrame,
  notRecording,
  notRecoverable,
  notStartable,
  recordedElsewhere,
  recordingChangedMeanwhile,
  recordingInterrupted,
  recordingPaused,
  recordingStopped,
  visitChangedMeanwhile,
} from './capture-errors.js';
import type { InterruptedRecordings } from './interrupted-recordings.js';
import { samplesToMs } from './pcm.js';
import { LIVE } from './track-leases.js';

/**
 * Recording from a microphone into a visit, frame by frame: start, append, pause, resume, stop, and
 * recovering a recording whose process died. The visit's state moves through the lifecycle in the
 * same transaction as the track's.
 */
export interface LiveRecording {
  start(visitId: VisitId, actor: Actor): Promise<void>;
  append(frame: AudioFrame): AppendResult;
  pause(visitId: VisitId, actor: Actor): void;
  resume(visitId: VisitId, actor: Actor): void;
  stop(visitId: VisitId, actor: Actor): Promise<void>;
  recover(visitId: VisitId, action: RecoverAction, actor: Actor): Promise<void>;
}

export function createLiveRecording(ctx: CaptureContext, interrupted: InterruptedRecordings): LiveRecording {
  const { store, visits, lifecycle, audio, audit, logger, leases, followers, consent } = ctx;
  const owner = leases.owner;

  function requireVisit(visitId: VisitId): Visit {
    const visit = visits.get(visitId);
    if (!visit) throw visitNotFound();
    return visit;
  }

  /** The live track this process records, or a clear reason why it is not one. */
  function ownLiveTrack(visitId: VisitId): AudioTrack {
    const track = audio.track(visitId);
    if (!track) {
      requireVisit(visitId);
      throw notRecording();
    }
    if (track.status === 'interrupted') throw recordingInterrupted();
    if (track.status === 'stopped') throw recordingStopped();
    if (track.status === 'importing') throw audioBeingImported();
    if (track.owner?.instance !== owner.instance) throw recordedElsewhere();
    return track;
  }

  /** Holds the track's lease and starts segmenting it; audio stored before (a resumed recording) is segmented first. */
  async function activate(visitId: VisitId): Promise<void> {
    const entry = leases.hold(visitId);
    const follower = await followers.follow(visitId);
    if (leases.held(visitId) !== entry) {
      await followers.release(follower);
      return;
    }
    entry.follower = follower;
    follower?.nudge();
  }

  return {
    async start(visitId, actor) {
      requireVisit(visitId);
      interrupted.check(visitId);
      const track = audio.track(visitId);
      // The same process asking again (a reloaded window): carry on, numbering where it stopped.
      if (track && LIVE.includes(track.status) && track.owner?.instance === owner.instance) return;
      const state = requireVisit(visitId).state;
      if (state === 'recording_interrupted') throw recordingInterrupted();
      if (state === 'recording') throw recordedElsewhere();
      if (state !== 'not_started' || track) throw notStartable(state);
      consent.requireFor(visitId);
      store.transaction(() => {
        if (audio.track(visitId) || !lifecycle.transition(visitId, 'not_started', 'recording')) throw visitChangedMeanwhile();
        audio.createTrack(visitId, 'recording', owner, leases.leaseUntil());
        audit.append({ actor: actor.id, action: 'capture.started', objectType: 'visit', objectId: visitId });
      });
      logger.info('capture.started', { visitId });
      await activate(visitId);
    },

    append(frame) {
      const pcm = Buffer.from(frame.pcm, 'base64');
      if (pcm.length === 0 || pcm.length % 2 !== 0 || pcm.length > MAX_FRAME_BYTES) throw invalidFrame(MAX_FRAME_BYTES);
      const { visitId, seq } = frame;
      const result = store.transaction((): AppendResult => {
        const track = ownLiveTrack(visitId);
        if (track.status === 'paused') throw recordingPaused();
        const durationMs = samplesToMs(track.sampleCount);
        if (seq < track.nextSeq) {
          const stored = audio.chunk(visitId, seq);
          if (stored?.pcm.equals(pcm)) return { seq, stored: false, nextSeq: track.nextSeq, durationMs };
          throw stored ? frameConflict(seq) : frameTooLate(seq);
        }
        const { startSample } = audio.appendChunk(visitId, seq, pcm, leases.leaseUntil());
        const appended = { seq, stored: true, nextSeq: seq + 1, durationMs: samplesToMs(startSample + pcm.length / 2) };
        return seq > track.nextSeq ? { ...appended, gap: { afterSeq: track.nextSeq - 1, missing: seq - track.nextSeq } } : appended;
      });
      if (result.gap) logger.warn('capture.gap', { visitId, afterSeq: result.gap.afterSeq, missing: result.gap.missing });
      if (result.stored) leases.held(visitId)?.follower?.nudge();
      return result;
    },

    pause(visitId, actor) {
      store.transaction(() => {
        const track = ownLiveTrack(visitId);
        if (track.status === 'paused') return;
        audio.updateTrack(visitId, { from: ['recording'], ownedBy: owner.instance }, { status: 'paused', leaseUntil: leases.leaseUntil() });
        audit.append({ actor: actor.id, action: 'capture.paused', objectType: 'visit', objectId: visitId });
      });
    },

    resume(visitId, actor) {
      store.transaction(() => {
        const track = ownLiveTrack(visitId);
        if (track.status === 'recording') return;
        consent.requireFor(visitId);
        audio.updateTrack(visitId, { from: ['paused'], ownedBy: owner.instance }, { status: 'recording', leaseUntil: leases.leaseUntil() });
        audit.append({ actor: actor.id, action: 'capture.resumed', objectType: 'visit', objectId: visitId });
      });
    },

    async stop(visitId, actor) {
      if (audio.track(visitId)?.status === 'stopped') {
        await followers.finish(visitId);
        return;
      }
      ownLiveTrack(visitId);
      store.transaction(() => {
        if (!audio.updateTrack(visitId, { from: LIVE, ownedBy: owner.instance }, { status: 'stopped', owner: null, leaseUntil: null })) {
          throw recordingChangedMeanwhile();
        }
        lifecycle.transition(visitId, 'recording', 'transcribing');
        audit.append({ actor: actor.id, action: 'capture.stopped', objectType: 'visit', objectId: visitId });
      });
      const entry = leases.letGo(visitId);
      logger.info('capture.stopped', { visitId });
      await followers.finish(visitId, entry?.follower);
    },

    async recover(visitId, action, actor) {
      requireVisit(visitId);
      interrupted.check(visitId);
      const track = audio.track(visitId);
      if (track?.status !== 'interrupted') throw notRecoverable(requireVisit(visitId).state);
      if (action === 'resume') {
        consent.requireFor(visitId);
        store.transaction(() => {
          const moved =
            audio.updateTrack(visitId, { from: ['interrupted'] }, { status: 'recording', owner, leaseUntil: leases.leaseUntil() }) &&
            lifecycle.transition(visitId, 'recording_interrupted', 'recording');
          if (!moved) throw visitChangedMeanwhile();
          audit.append({ actor: actor.id, action: 'capture.recovered', objectType: 'visit', objectId: visitId });
        });
        logger.info('capture.recovered', { visitId, chunks: track.chunkCount });
        await activate(visitId);
      } else {
        store.transaction(() => {
          const moved =
            audio.updateTrack(visitId, { from: ['interrupted'] }, { status: 'stopped' }) &&
            lifecycle.transition(visitId, 'recording_interrupted', 'transcribing');
          if (!moved) throw visitChangedMeanwhile();
          audit.append({ actor: actor.id, action: 'capture.stopped', objectType: 'visit', objectId: visitId });
        });
        logger.info('capture.stopped', { visitId, recovered: true });
        await followers.finish(visitId);
      }
    },
  };
}

import type {
  AppendResult,
  AudioFrame,
  CaptureStatus,
  Consent,
  ImportSummary,
  RecordConsentRequest,
  RecoverAction,
  SpeechSegment,
} from '../../shared/domain/capture.js';
import type { Visit } from '../../shared/domain/visit.js';
import type { VisitId } from '../../shared/ids.js';
import type { Actor } from '../kernel/actor.js';
import { visitNotFound } from '../store/errors.js';
import { exportWavFile, openWavStream } from './audio-export.js';
import { importAudioFile } from './audio-import.js';
import type { WavStream } from './audio-reader.js';
import { pcmPages } from './audio-reader.js';
import { createCaptureConsent } from './capture-consent.js';
import type { CaptureContext, CaptureServiceDeps } from './capture-context.js';
import { createInterruptedRecordings } from './interrupted-recordings.js';
import { createLiveRecording } from './live-recording.js';
import { msToSamples, samplesToMs } from './pcm.js';
import { createSegmentFollowers } from './segment-followers.js';
import { createTrackLeases } from './track-leases.js';
import { thisProcessOwner } from './track-owner.js';

export interface CaptureService {
  recordConsent(request: RecordConsentRequest, actor: Actor): Consent;
  start(visitId: VisitId, actor: Actor): Promise<CaptureStatus>;
  /** Stores one frame durably before returning; the frame's `seq` makes retries harmless. */
  append(frame: AudioFrame): AppendResult;
  pause(visitId: VisitId, actor: Actor): CaptureStatus;
  resume(visitId: VisitId, actor: Actor): CaptureStatus;
  stop(visitId: VisitId, actor: Actor): Promise<CaptureStatus>;
  /** An interrupted recording: go on recording into the same visit, or finish it as it is. */
  recover(visitId: VisitId, action: RecoverAction, actor: Actor): Promise<CaptureStatus>;
  status(visitId: VisitId): CaptureStatus;
  /** Closed speech segments after `afterIndex`; `complete` once the whole recording was segmented. */
  segments(visitId: VisitId, afterIndex?: number): Promise<{ segments: SpeechSegment[]; complete: boolean }>;
  importFile(visitId: VisitId, file: string, actor: Actor): Promise<ImportSummary>;
  exportFile(visitId: VisitId, file: string, actor: Actor, range?: { fromMs?: number; toMs?: number }): Promise<{ durationMs: number }>;
  /** The audio as WAV from an offset, for playback; audited as the actor listening. */
  openAudio(visitId: VisitId, actor: Actor, range?: { fromMs?: number; toMs?: number }): WavStream;
  /**
   * The stored samples (16 kHz mono Int16 LE) from an offset, a page at a time, for other services
   * (transcribing a speech segment). Not audited as a playback: no person hears it.
   */
  pcm(visitId: VisitId, range?: { fromMs?: number; toMs?: number }): Iterable<Buffer>;
  /** Marks recordings whose process died as interrupted, and discards imports that never finished. */
  recoverInterrupted(): { interrupted: VisitId[]; discarded: VisitId[] };
  close(): Promise<void>;
}

/**
 * Visit audio: recording (live-recording), import and export, put together from their parts: the
 * leases on the tracks this process writes, the voice-activity followers, consent, and the sweep of
 * recordings whose process died.
 */
export function createCaptureService(deps: CaptureServiceDeps): CaptureService {
  const { store, visits, lifecycle, audio, audit, events, logger, vad } = deps;
  const leaseMs = deps.leaseMs ?? 15_000;
  const owner = deps.owner ?? thisProcessOwner();
  const followers = createSegmentFollowers({ audio, vad, events, logger, segmenter: deps.segmenter });
  const leases = createTrackLeases({
    store,
    audio,
    logger,
    owner,
    leaseMs,
    heartbeatMs: deps.heartbeatMs ?? Math.max(250, Math.floor(leaseMs / 5)),
    onLost: (_visitId, entry) => void followers.release(entry.follower),
  });
  const consent = createCaptureConsent({ store, visits, consents: deps.consents, audit, logger, requireConsent: deps.requireConsent });
  const interrupted = createInterruptedRecordings({ store, audio, lifecycle, audit, logger, owner, isProcessAlive: deps.isProcessAlive });
  const ctx: CaptureContext = { store, visits, lifecycle, audio, audit, logger, leases, followers, consent };
  const recording = createLiveRecording(ctx, interrupted);

  function status(visitId: VisitId): CaptureStatus {
    const visit = requireVisit(visitId);
    const track = audio.track(visitId);
    return {
      visitId,
      visitState: visit.state,
      capture: track ? track.status : 'idle',
      nextSeq: track?.nextSeq ?? 0,
      durationMs: samplesToMs(track?.sampleCount ?? 0),
      chunks: track?.chunkCount ?? 0,
      gaps: track ? audio.gaps(visitId) : [],
      segments: audio.segmentCount(visitId),
      segmentsComplete: track?.segmentsFinal ?? false,
      consent: consent.summary(visitId),
      consentRequired: consent.required(),
      vad: vad.availability(),
    };
  }

  function requireVisit(visitId: VisitId): Visit {
    const visit = visits.get(visitId);
    if (!visit) throw visitNotFound();
    return visit;
  }

  return {
    recordConsent: (request, actor) => consent.record(request, actor),
    async start(visitId, actor) {
      await recording.start(visitId, actor);
      return status(visitId);
    },
    append: (frame) => recording.append(frame),
    pause(visitId, actor) {
      recording.pause(visitId, actor);
      return status(visitId);
    },
    resume(visitId, actor) {
      recording.resume(visitId, actor);
      return status(visitId);
    },
    async stop(visitId, actor) {
      await recording.stop(visitId, actor);
      return status(visitId);
    },
    async recover(visitId, action, actor) {
      await recording.recover(visitId, action, actor);
      return status(visitId);
    },

    status(visitId) {
      interrupted.check(visitId);
      return status(visitId);
    },

    async segments(visitId, afterIndex = -1) {
      requireVisit(visitId);
      const track = audio.track(visitId);
      if (track?.status === 'stopped' && !track.segmentsFinal) await followers.finish(visitId);
      return { segments: audio.segments(visitId, afterIndex), complete: audio.track(visitId)?.segmentsFinal ?? false };
    },

    importFile: (visitId, file, actor) =>
      importAudioFile(ctx, visitId, file, actor, { requireVisit, sweepOne: (id) => interrupted.check(id) }),

    exportFile: (visitId, file, actor, range) => exportWavFile(ctx, visitId, file, actor, range),

    openAudio: (visitId, actor, range) => openWavStream(ctx, visitId, actor, range),

    pcm(visitId, range = {}) {
      const total = audio.track(visitId)?.sampleCount ?? 0;
      const fromSample = Math.min(total, msToSamples(range.fromMs ?? 0));
      const toSample = range.toMs === undefined ? total : Math.min(total, msToSamples(range.toMs));
      return pcmPages(audio, visitId, { fromSample, toSample });
    },

    recoverInterrupted: () => interrupted.checkAll(),

    // Synchronous up to its first await: every follower is stopped before the caller closes the store.
    async close() {
      leases.close();
      await followers.close();
    },
  };
}

import type {
  AppendResult,
  AudioFrame,
  CaptureState,
  CaptureStatus,
  Consent,
  ImportSummary,
  RecordConsentRequest,
  RecoverAction,
  SpeechSegment,
} from '../../shared/domain/capture.js';
import { MAX_FRAME_BYTES } from '../../shared/domain/capture.js';
import type { Visit, VisitState } from '../../shared/domain/visit.js';
import type { VisitId } from '../../shared/ids.js';
import type { Actor } from '../kernel/actor.js';
import { NotFoundError, ScribeError } from '../kernel/errors.js';
import type { AudioTrack, TrackStatus } from '../store/audio-repository.js';
import { importAudioFile } from './audio-import.js';
import { exportWavFile, openWavStream } from './audio-export.js';
import type { WavStream } from './audio-reader.js';
import type { ActiveTrack, CaptureContext, CaptureServiceDeps } from './capture-context.js';
import { CaptureStateError, ConsentRequiredError } from './capture-errors.js';
import { pcmPages } from './audio-reader.js';
import { msToSamples, samplesToMs } from './pcm.js';
import { createSegmentFollower } from './segment-follower.js';
import type { SegmentFollower } from './segment-follower.js';
import { ownerIsGone, thisProcessOwner } from './track-owner.js';

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

const LIVE: readonly TrackStatus[] = ['recording', 'paused'];
const OWNED: readonly TrackStatus[] = ['recording', 'paused', 'importing'];

const describeState: Readonly<Record<VisitState, string>> = {
  not_started: 'not started',
  recording: 'being recorded',
  recording_interrupted: 'an interrupted recording',
  transcribing: 'recorded already',
  draft_ready: 'drafted already',
  in_review: 'in review',
  ready_for_signature: 'ready for signature',
  signed: 'signed',
  delivered: 'delivered',
  failed: 'failed delivery',
};

export function createCaptureService(deps: CaptureServiceDeps): CaptureService {
  const { store, visits, audio, consents, audit, events, logger, vad } = deps;
  const owner = deps.owner ?? thisProcessOwner();
  const leaseMs = deps.leaseMs ?? 15_000;
  const heartbeatMs = deps.heartbeatMs ?? Math.max(250, Math.floor(leaseMs / 5));
  const policyConsent = deps.requireConsent ?? true;
  const requireConsent = typeof policyConsent === 'function' ? policyConsent : () => policyConsent;
  const active = new Map<VisitId, ActiveTrack>();
  const finishing = new Map<VisitId, Promise<void>>();
  /** Every follower alive, so closing can stop them all before the store closes under them. */
  const followers = new Set<SegmentFollower>();
  let heartbeat: NodeJS.Timeout | undefined;
  let closed = false;

  const leaseUntil = () => new Date(store.clock.now().getTime() + leaseMs).toISOString();

  function requireVisit(visitId: VisitId): Visit {
    const visit = visits.get(visitId);
    if (!visit) throw new NotFoundError('The visit');
    return visit;
  }

  function requireConsentFor(visitId: VisitId): void {
    if (requireConsent() && !consents.latest(visitId)) throw new ConsentRequiredError();
  }

  function renewLeases(): void {
    if (closed) return;
    for (const visitId of [...active.keys()]) {
      try {
        if (!audio.updateTrack(visitId, { from: OWNED, ownedBy: owner.instance }, { leaseUntil: leaseUntil() })) {
          // Another process judged us dead and took the recording over: stop writing to it.
          logger.warn('capture.lease_lost', { visitId });
          void deactivate(visitId);
        }
      } catch (error) {
        logger.error('capture.lease_failed', { visitId, error: error instanceof Error ? error.name : typeof error });
      }
    }
    if (active.size === 0 && heartbeat) {
      clearInterval(heartbeat);
      heartbeat = undefined;
    }
  }

  function startHeartbeat(): void {
    if (heartbeat || closed) return;
    heartbeat = setInterval(renewLeases, heartbeatMs);
    heartbeat.unref();
  }

  async function follow(visitId: VisitId): Promise<SegmentFollower | undefined> {
    const model = await vad.get();
    if (!model || closed) return undefined;
    const follower = createSegmentFollower({
      visitId,
      audio,
      model,
      logger,
      segmenterOptions: deps.segmenter,
      onSegment: (segment) => events.emit('capture:segment', { visitId, ...segment }),
    });
    followers.add(follower);
    return follower;
  }

  async function release(follower: SegmentFollower | undefined): Promise<void> {
    if (!follower) return;
    followers.delete(follower);
    await follower.cancel();
  }

  const ctx: CaptureContext = {
    ...deps,
    owner,
    leaseMs,
    heartbeatMs,
    segmenter: deps.segmenter,
    isProcessAlive: deps.isProcessAlive,
    leaseUntil,
    active,
    startHeartbeat,
    follow,
    release,
    requireConsentFor,
  };

  async function activate(visitId: VisitId): Promise<void> {
    const entry: ActiveTrack = { follower: undefined };
    active.set(visitId, entry);
    startHeartbeat();
    const follower = await follow(visitId);
    if (active.get(visitId) !== entry) {
      await release(follower);
      return;
    }
    entry.follower = follower;
    // Audio stored before this process took the recording (a resumed one) is segmented first.
    follower?.nudge();
  }

  async function deactivate(visitId: VisitId): Promise<void> {
    const entry = active.get(visitId);
    active.delete(visitId);
    await release(entry?.follower);
  }

  /** Runs the detector over whatever the stored recording still lacks segments for, and closes the last one. */
  function finishSegments(visitId: VisitId, follower?: SegmentFollower): Promise<void> {
    const running = finishing.get(visitId);
    if (running) return running;
    const work = (async () => {
      const f = follower ?? (await follow(visitId));
      try {
        const track = audio.track(visitId);
        if (!f || !track || closed) return;
        await f.finish(track.sampleCount);
        if (f.healthy && !closed) audio.updateTrack(visitId, { from: ['stopped'] }, { segmentsFinal: true });
      } finally {
        await release(f);
      }
    })().finally(() => finishing.delete(visitId));
    finishing.set(visitId, work);
    return work;
  }

  function captureState(track: AudioTrack | undefined): CaptureState {
    return track ? track.status : 'idle';
  }

  function status(visitId: VisitId): CaptureStatus {
    const visit = requireVisit(visitId);
    const track = audio.track(visitId);
    const consent = consents.latest(visitId);
    return {
      visitId,
      visitState: visit.state,
      capture: captureState(track),
      nextSeq: track?.nextSeq ?? 0,
      durationMs: samplesToMs(track?.sampleCount ?? 0),
      chunks: track?.chunkCount ?? 0,
      gaps: track ? audio.gaps(visitId) : [],
      segments: audio.segmentCount(visitId),
      segmentsComplete: track?.segmentsFinal ?? false,
      consent: consent
        ? { method: consent.method, givenBy: consent.givenBy, obtainedAt: consent.obtainedAt, confirmedBy: consent.confirmedBy, recordedAt: consent.recordedAt }
        : null,
      consentRequired: requireConsent(),
      vad: vad.availability(),
    };
  }

  /** The live track this process records, or a clear reason why it is not one. */
  function ownLiveTrack(visitId: VisitId): AudioTrack {
    const track = audio.track(visitId);
    if (!track) {
      requireVisit(visitId);
      throw new CaptureStateError('This visit is not being recorded; start the recording first.');
    }
    if (track.status === 'interrupted') throw new CaptureStateError("This visit's recording was interrupted; resume it or finish it.");
    if (track.status === 'stopped') throw new CaptureStateError("This visit's recording has already stopped.");
    if (track.status === 'importing') throw new CaptureStateError('Audio is being imported into this visit.');
    if (track.owner?.instance !== owner.instance) throw new CaptureStateError('This visit is being recorded in another window or process.');
    return track;
  }

  /** Moves a recording to an interrupted (or discarded) state when its process is gone. */
  function sweep(track: AudioTrack, result: { interrupted: VisitId[]; discarded: VisitId[] }): void {
    const visitId = track.visitId;
    const changed = store.transaction(() => {
      const current = audio.track(visitId);
      if (!current || !OWNED.includes(current.status) || !ownerIsGone(current, owner, store.clock.now(), deps.isProcessAlive)) return undefined;
      if (current.status === 'importing') {
        audio.deleteAudio(visitId);
        audio.deleteTrack(visitId);
        audit.append({ actor: 'system', action: 'audio.import_discarded', objectType: 'visit', objectId: visitId });
        return 'discarded' as const;
      }
      audio.updateTrack(visitId, { from: [current.status] }, { status: 'interrupted', owner: null, leaseUntil: null });
      visits.transition(visitId, ['recording'], 'recording_interrupted');
      audit.append({ actor: 'system', action: 'capture.interrupted', objectType: 'visit', objectId: visitId });
      return 'interrupted' as const;
    });
    if (!changed) return;
    result[changed].push(visitId);
    logger.warn(changed === 'interrupted' ? 'capture.interrupted' : 'capture.import_discarded', { visitId, chunks: track.chunkCount });
  }

  function sweepOne(visitId: VisitId): void {
    const track = audio.track(visitId);
    if (track && OWNED.includes(track.status)) sweep(track, { interrupted: [], discarded: [] });
  }

  return {
    recordConsent(request, actor) {
      requireVisit(request.visitId);
      const now = store.clock.now();
      const obtainedAt = request.obtainedAt ?? now.toISOString();
      // A little clock skew between workstations is fine; consent from the future is a mistake.
      if (Date.parse(obtainedAt) > now.getTime() + 5 * 60_000) throw new ScribeError('bad_request', 'The time consent was given cannot be in the future.');
      if (request.givenBy !== 'patient' && !request.representativeName) {
        throw new ScribeError('bad_request', `Name the ${request.givenBy} who gave consent.`);
      }
      const consent = store.transaction(() => {
        const inserted = consents.insert({ ...request, obtainedAt: new Date(obtainedAt).toISOString(), confirmedBy: actor.id });
        audit.append({ actor: actor.id, action: 'consent.recorded', objectType: 'visit', objectId: request.visitId });
        return inserted;
      });
      logger.info('capture.consent_recorded', { visitId: request.visitId, method: consent.method, givenBy: consent.givenBy });
      return consent;
    },

    async start(visitId, actor) {
      requireVisit(visitId);
      sweepOne(visitId);
      const track = audio.track(visitId);
      // The same process asking again (a reloaded window): carry on, numbering where it stopped.
      if (track && LIVE.includes(track.status) && track.owner?.instance === owner.instance) return status(visitId);
      const state = requireVisit(visitId).state;
      if (state === 'recording_interrupted') throw new CaptureStateError("This visit's recording was interrupted; resume it or finish it.");
      if (state === 'recording') throw new CaptureStateError('This visit is being recorded in another window or process.');
      if (state !== 'not_started' || track) throw new CaptureStateError(`Recording starts only on a visit not started yet; this one is ${describeState[state]}.`);
      requireConsentFor(visitId);
      store.transaction(() => {
        if (audio.track(visitId) || !visits.transition(visitId, ['not_started'], 'recording')) {
          throw new CaptureStateError('This visit was changed by someone else just now; try again.');
        }
        audio.createTrack(visitId, 'recording', owner, leaseUntil());
        audit.append({ actor: actor.id, action: 'capture.started', objectType: 'visit', objectId: visitId });
      });
      logger.info('capture.started', { visitId });
      await activate(visitId);
      return status(visitId);
    },

    append(frame) {
      const pcm = Buffer.from(frame.pcm, 'base64');
      if (pcm.length === 0 || pcm.length % 2 !== 0 || pcm.length > MAX_FRAME_BYTES) {
        throw new ScribeError('bad_request', `A frame holds whole 16-bit samples, at most ${MAX_FRAME_BYTES} bytes.`);
      }
      const { visitId, seq } = frame;
      const result = store.transaction((): AppendResult => {
        const track = ownLiveTrack(visitId);
        if (track.status === 'paused') throw new CaptureStateError('The recording is paused; resume it before sending audio.');
        const durationMs = samplesToMs(track.sampleCount);
        if (seq < track.nextSeq) {
          const stored = audio.chunk(visitId, seq);
          if (stored?.pcm.equals(pcm)) return { seq, stored: false, nextSeq: track.nextSeq, durationMs };
          if (stored) throw new CaptureStateError(`Frame ${seq} is already stored with different audio; it was not replaced.`);
          throw new CaptureStateError(`Frame ${seq} arrived after later frames; its gap stays recorded.`);
        }
        const { startSample } = audio.appendChunk(visitId, seq, pcm, leaseUntil());
        const appended = { seq, stored: true, nextSeq: seq + 1, durationMs: samplesToMs(startSample + pcm.length / 2) };
        return seq > track.nextSeq ? { ...appended, gap: { afterSeq: track.nextSeq - 1, missing: seq - track.nextSeq } } : appended;
      });
      if (result.gap) logger.warn('capture.gap', { visitId, afterSeq: result.gap.afterSeq, missing: result.gap.missing });
      if (result.stored) active.get(visitId)?.follower?.nudge();
      return result;
    },

    pause(visitId, actor) {
      store.transaction(() => {
        const track = ownLiveTrack(visitId);
        if (track.status === 'paused') return;
        audio.updateTrack(visitId, { from: ['recording'], ownedBy: owner.instance }, { status: 'paused', leaseUntil: leaseUntil() });
        audit.append({ actor: actor.id, action: 'capture.paused', objectType: 'visit', objectId: visitId });
      });
      return status(visitId);
    },

    resume(visitId, actor) {
      store.transaction(() => {
        const track = ownLiveTrack(visitId);
        if (track.status === 'recording') return;
        requireConsentFor(visitId);
        audio.updateTrack(visitId, { from: ['paused'], ownedBy: owner.instance }, { status: 'recording', leaseUntil: leaseUntil() });
        audit.append({ actor: actor.id, action: 'capture.resumed', objectType: 'visit', objectId: visitId });
      });
      return status(visitId);
    },

    async stop(visitId, actor) {
      const track = audio.track(visitId);
      if (track?.status === 'stopped') {
        await finishSegments(visitId);
        return status(visitId);
      }
      ownLiveTrack(visitId);
      store.transaction(() => {
        if (!audio.updateTrack(visitId, { from: LIVE, ownedBy: owner.instance }, { status: 'stopped', owner: null, leaseUntil: null })) {
          throw new CaptureStateError('This recording was changed by someone else just now; check its state.');
        }
        visits.transition(visitId, ['recording'], 'transcribing');
        audit.append({ actor: actor.id, action: 'capture.stopped', objectType: 'visit', objectId: visitId });
      });
      const entry = active.get(visitId);
      active.delete(visitId);
      logger.info('capture.stopped', { visitId });
      await finishSegments(visitId, entry?.follower);
      return status(visitId);
    },

    async recover(visitId, action, actor) {
      requireVisit(visitId);
      sweepOne(visitId);
      const track = audio.track(visitId);
      if (track?.status !== 'interrupted') {
        const state = requireVisit(visitId).state;
        throw new CaptureStateError(`Only an interrupted recording can be recovered; this visit is ${describeState[state]}.`);
      }
      if (action === 'resume') {
        requireConsentFor(visitId);
        store.transaction(() => {
          const moved =
            audio.updateTrack(visitId, { from: ['interrupted'] }, { status: 'recording', owner, leaseUntil: leaseUntil() }) &&
            visits.transition(visitId, ['recording_interrupted'], 'recording');
          if (!moved) throw new CaptureStateError('This visit was changed by someone else just now; try again.');
          audit.append({ actor: actor.id, action: 'capture.recovered', objectType: 'visit', objectId: visitId });
        });
        logger.info('capture.recovered', { visitId, chunks: track.chunkCount });
        await activate(visitId);
      } else {
        store.transaction(() => {
          const moved =
            audio.updateTrack(visitId, { from: ['interrupted'] }, { status: 'stopped' }) && visits.transition(visitId, ['recording_interrupted'], 'transcribing');
          if (!moved) throw new CaptureStateError('This visit was changed by someone else just now; try again.');
          audit.append({ actor: actor.id, action: 'capture.stopped', objectType: 'visit', objectId: visitId });
        });
        logger.info('capture.stopped', { visitId, recovered: true });
        await finishSegments(visitId);
      }
      return status(visitId);
    },

    status(visitId) {
      sweepOne(visitId);
      return status(visitId);
    },

    async segments(visitId, afterIndex = -1) {
      requireVisit(visitId);
      const track = audio.track(visitId);
      if (track?.status === 'stopped' && !track.segmentsFinal) await finishSegments(visitId);
      return { segments: audio.segments(visitId, afterIndex), complete: audio.track(visitId)?.segmentsFinal ?? false };
    },

    importFile: (visitId, file, actor) => importAudioFile(ctx, visitId, file, actor, { requireVisit, sweepOne }),

    exportFile: (visitId, file, actor, range) => exportWavFile(ctx, visitId, file, actor, range),

    openAudio: (visitId, actor, range) => openWavStream(ctx, visitId, actor, range),

    pcm(visitId, range = {}) {
      const total = audio.track(visitId)?.sampleCount ?? 0;
      const fromSample = Math.min(total, msToSamples(range.fromMs ?? 0));
      const toSample = range.toMs === undefined ? total : Math.min(total, msToSamples(range.toMs));
      return pcmPages(audio, visitId, { fromSample, toSample });
    },

    recoverInterrupted() {
      const result = { interrupted: [] as VisitId[], discarded: [] as VisitId[] };
      for (const track of audio.tracksWithStatus(OWNED)) sweep(track, result);
      return result;
    },

    // Synchronous up to its first await: every follower is stopped before the caller closes the store.
    async close() {
      closed = true;
      if (heartbeat) clearInterval(heartbeat);
      heartbeat = undefined;
      active.clear();
      const stopping = [...followers].map((follower) => follower.cancel());
      followers.clear();
      await Promise.allSettled([...stopping, ...finishing.values()]);
    },
  };
}

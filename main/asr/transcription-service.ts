import type { SpeechSegment } from '../../shared/domain/capture.js';
import { SAMPLES_PER_MS } from '../../shared/domain/capture.js';
import type { TranscriptionEngine as EngineName } from '../../shared/domain/policy.js';
import type { TranscriptSegment } from '../../shared/domain/transcript.js';
import type { TranscriptionState, TranscriptionStatus } from '../../shared/domain/transcription.js';
import type { VisitId } from '../../shared/ids.js';
import type { Actor } from '../kernel/actor.js';
import type { EventBus } from '../kernel/event-bus.js';
import type { AuditLog } from '../audit/audit-log.js';
import type { CaptureService } from '../capture/capture-service.js';
import { NotFoundError, ScribeError } from '../kernel/errors.js';
import type { Logger } from '../log/logger.js';
import type { AudioRepository } from '../store/audio-repository.js';
import type { VisitRepository } from '../store/visit-repository.js';
import type { TranscriptService } from '../transcripts/transcript-service.js';
import { AsrError, cancelledError, isCancelled } from './asr-error.js';
import { audioStats, frameLevels, FRAME_SAMPLES, toFloat32 } from './audio-stats.js';
import type { SpeechInput, TranscriptionEngine } from './engine.js';
import type { EngineFactory } from './engine-factory.js';
import type { DropReason, GuardOptions, HallucinationGuard } from './hallucination-guard.js';
import { createHallucinationGuard } from './hallucination-guard.js';
import { readSpeech } from './segment-audio.js';
import type { LabelledSpeaker } from './speaker-labeller.js';
import { labelSpeakers, speakerCues } from './speaker-labeller.js';
import type { VisitVocabulary } from './transcription-prompt.js';
import { transcriptionPrompt } from './transcription-prompt.js';

export interface TranscriptionService {
  /**
   * Transcribes what the visit's audio holds and is not yet in its transcript, then: finalises the
   * transcript when the recording has stopped, or keeps following a recording that goes on (each
   * speech segment is transcribed as the detector closes it). Resolves once caught up.
   */
  transcribe(visitId: VisitId, engine: EngineName | undefined, actor: Actor): Promise<TranscriptionStatus>;
  status(visitId: VisitId): TranscriptionStatus;
  /** Stops a run; what was transcribed stays, and a later run carries on from there. */
  cancel(visitId: VisitId, actor: Actor): Promise<TranscriptionStatus>;
  close(): Promise<void>;
}

export interface TranscriptionServiceDeps {
  readonly visits: VisitRepository;
  readonly audio: AudioRepository;
  readonly capture: Pick<CaptureService, 'segments' | 'status'>;
  readonly transcripts: TranscriptService;
  readonly audit: AuditLog;
  readonly events: EventBus;
  readonly logger: Logger;
  readonly engines: EngineFactory;
  readonly defaultEngine?: EngineName;
  /** Start transcribing as soon as a visit starts recording (asked at each start). */
  readonly live?: boolean | (() => boolean);
  /** Medications and problems known for the visit's patient (from the EHR), for the vocabulary prompt. */
  readonly vocabulary?: (visitId: VisitId) => VisitVocabulary | undefined;
  readonly guard?: Partial<GuardOptions>;
  /** Retries of one segment after a failure that may pass (timeouts, 5xx, a crashed worker), with these waits. */
  readonly retryDelaysMs?: readonly number[];
  /** How often a following run looks for new audio when no event woke it (no-VAD recordings grow silently). */
  readonly pollMs?: number;
}

/** Without a voice-activity detector the audio is cut into windows Whisper can read whole. */
const WINDOW_MS = 29_500;
/** Where a window ends without a detector: the quietest moment of its last seconds. */
const WINDOW_SEARCH_MS = 5_000;

interface Piece {
  readonly id: string;
  readonly startMs: number;
  readonly endMs: number;
  readonly text: string;
  readonly confidence: number | undefined;
  readonly cue: number;
  readonly thirdVoice: number;
  readonly addressee: number;
  /** The speech segment it came from (pieces of one were said without a pause); none for fixed windows. */
  readonly group: string | undefined;
  speaker: TranscriptSegment['speaker'];
}

interface Run {
  readonly visitId: VisitId;
  readonly engineName: EngineName;
  readonly engine: TranscriptionEngine;
  readonly controller: AbortController;
  readonly guard: HallucinationGuard;
  readonly prompt: string | undefined;
  readonly actorId: string;
  /** Speech segments (by index) already in the transcript or judged empty. */
  readonly done: Set<number>;
  /** The transcript as this run knows it, in time order, for speaker labelling. */
  readonly pieces: Piece[];
  state: TranscriptionState;
  after: number;
  /** Detector-less recordings: transcribed up to here. */
  windowFloorMs: number;
  /** Where the last speech segment seen ends. */
  speechEndMs: number;
  segmentsDone: number;
  segmentsPending: number;
  dropped: number;
  final: boolean;
  error: { code: string; message: string } | null;
  failure: unknown;
  wake: (() => void) | undefined;
  /** Callers waiting for the run to catch up (following) or end. */
  waiters: (() => void)[];
  loop: Promise<void> | undefined;
}

const SEGMENT_ID = /^a(\d+)\.\d+$/;
/** Speech segments group their pieces; fixed windows hold many turns and group nothing. */
const speechGroup = (inputId: string) => (inputId.startsWith('a') ? inputId : undefined);
/** Windows carry their whole span, so a later run resumes exactly where the last window ended. */
const WINDOW_ID = /^w\d+-(\d+)\.\d+$/;

export function createTranscriptionService(deps: TranscriptionServiceDeps): TranscriptionService {
  const { visits, audio, capture, transcripts, audit, events, logger } = deps;
  const runs = new Map<VisitId, Run>();
  /** The local engine holds a loaded model: kept between visits. */
  const cached = new Map<EngineName, TranscriptionEngine>();
  const retryDelays = deps.retryDelaysMs ?? [2_000, 8_000];
  const pollMs = deps.pollMs ?? 5_000;
  const live = typeof deps.live === 'function' ? deps.live : () => deps.live === true;
  let closed = false;

  function engineFor(name: EngineName): TranscriptionEngine {
    const existing = cached.get(name);
    if (existing) return existing;
    const engine = deps.engines(name);
    if (name === 'local') cached.set(name, engine);
    return engine;
  }

  function statusOf(run: Run): TranscriptionStatus {
    return {
      visitId: run.visitId,
      state: run.state,
      engine: run.engineName,
      model: run.engine.model,
      segmentsDone: run.segmentsDone,
      segmentsPending: run.segmentsPending,
      segmentsDropped: run.dropped,
      transcriptSegments: run.pieces.length,
      final: run.final,
      error: run.error,
    };
  }

  function announce(run: Run): void {
    events.emit('transcription:progress', statusOf(run));
  }

  function settle(run: Run): void {
    for (const waiter of run.waiters.splice(0)) waiter();
  }

  function setState(run: Run, state: TranscriptionState): void {
    if (run.state === state) return;
    run.state = state;
    announce(run);
    if (state !== 'running') settle(run);
  }

  /** Labels the whole transcript again and stores the pieces that are new or changed speaker. */
  function store(run: Run, fresh: readonly Piece[]): void {
    run.pieces.push(...fresh);
    run.pieces.sort((a, b) => a.startMs - b.startMs);
    const labels = labelSpeakers(run.pieces);
    const freshIds = new Set(fresh.map((p) => p.id));
    const changed: TranscriptSegment[] = [];
    run.pieces.forEach((piece, i) => {
      const speaker: LabelledSpeaker = labels[i]!;
      if (!freshIds.has(piece.id) && piece.speaker === speaker) return;
      piece.speaker = speaker;
      changed.push({
        id: piece.id,
        startMs: piece.startMs,
        endMs: piece.endMs,
        speaker,
        text: piece.text,
        ...(piece.confidence === undefined ? {} : { confidence: Math.round(piece.confidence * 1000) / 1000 }),
      });
    });
    if (changed.length > 0) transcripts.appendSegments(run.visitId, changed);
  }

  async function recognize(run: Run, input: SpeechInput): Promise<Piece[]> {
    for (let attempt = 0; ; attempt += 1) {
      try {
        const recognized = await run.engine.transcribe([input], { signal: run.controller.signal, prompt: run.prompt });
        const samples = toFloat32(input.pcm);
        const kept: Piece[] = [];
        const reasons = new Map<DropReason, number>();
        recognized.forEach((r, k) => {
          const from = Math.round((r.startMs - input.startMs) * SAMPLES_PER_MS);
          const to = Math.round((r.endMs - input.startMs) * SAMPLES_PER_MS);
          const verdict = run.guard.check(r, audioStats(samples, from, to));
          if (!verdict.keep) {
            reasons.set(verdict.reason, (reasons.get(verdict.reason) ?? 0) + 1);
            return;
          }
          kept.push({
            id: `${input.id}.${k}`,
            startMs: r.startMs,
            endMs: r.endMs,
            text: verdict.text,
            confidence: verdict.confidence,
            ...speakerCues(verdict.text),
            group: speechGroup(input.id),
            speaker: 'unknown',
          });
        });
        for (const [reason, count] of reasons) logger.info('asr.guard_dropped', { visitId: run.visitId, reason, count });
        run.dropped += recognized.length - kept.length;
        return kept;
      } catch (error) {
        const delay = retryDelays[attempt];
        if (!(error instanceof AsrError) || !error.retryable || delay === undefined || run.controller.signal.aborted) throw error;
        logger.warn('asr.retry', { visitId: run.visitId, failure: error.failure, attempt: attempt + 1 });
        await sleep(delay, run.controller.signal);
      }
    }
  }

  async function transcribeSpeech(run: Run, segment: SpeechSegment): Promise<void> {
    const pcm = readSpeech(audio, run.visitId, segment.startMs, segment.endMs);
    const pieces = pcm.length === 0 ? [] : await recognize(run, { id: `a${segment.index}`, startMs: segment.startMs, pcm });
    if (run.controller.signal.aborted) throw cancelledError();
    store(run, pieces);
    run.done.add(segment.index);
    run.segmentsDone += 1;
    run.segmentsPending = Math.max(0, run.segmentsPending - 1);
    announce(run);
  }

  /** Detector-less audio: windows of up to 29.5 s, each cut at the quietest moment near its end. */
  async function transcribeWindows(run: Run, endMs: number, ended: boolean): Promise<void> {
    while (!run.controller.signal.aborted) {
      const from = run.windowFloorMs;
      const available = endMs - from;
      if (available <= 0 || (!ended && available < WINDOW_MS)) return;
      let to = Math.min(endMs, from + WINDOW_MS);
      let pcm = readSpeech(audio, run.visitId, from, to);
      if (to < endMs || !ended) {
        const samples = toFloat32(pcm);
        const searchFrom = Math.max(0, samples.length - WINDOW_SEARCH_MS * SAMPLES_PER_MS);
        const levels = frameLevels(samples, searchFrom);
        let quietest = 0;
        for (let f = 1; f < levels.length; f += 1) if (levels[f]! < levels[quietest]!) quietest = f;
        const cut = Math.min(samples.length, searchFrom + quietest * FRAME_SAMPLES + FRAME_SAMPLES / 2);
        to = from + Math.round(cut / SAMPLES_PER_MS);
        pcm = pcm.subarray(0, cut);
      }
      setState(run, 'running');
      const pieces = pcm.length === 0 ? [] : await recognize(run, { id: `w${from}-${to}`, startMs: from, pcm });
      if (run.controller.signal.aborted) throw cancelledError();
      store(run, pieces);
      run.windowFloorMs = to;
      run.segmentsDone += 1;
      announce(run);
    }
  }

  function finalize(run: Run): void {
    // An empty recording still ends with a (final, empty) transcript: drafting then says so.
    transcripts.appendSegments(run.visitId, []);
    transcripts.finalize(run.visitId, run.actorId);
    run.final = true;
    run.segmentsPending = 0;
    logger.info('asr.finished', { visitId: run.visitId, engine: run.engineName, segments: run.pieces.length, dropped: run.dropped });
  }

  function waitForWork(run: Run): Promise<void> {
    return new Promise((resolve) => {
      const { signal } = run.controller;
      const timer = setTimeout(done, pollMs);
      timer.unref();
      function done() {
        clearTimeout(timer);
        // A visit waits thousands of times: listeners must not pile up on the run's signal.
        signal.removeEventListener('abort', done);
        run.wake = undefined;
        resolve();
      }
      run.wake = done;
      signal.addEventListener('abort', done, { once: true });
    });
  }

  async function drive(run: Run): Promise<void> {
    for (;;) {
      if (run.controller.signal.aborted) throw cancelledError();
      const track = audio.track(run.visitId);
      if (!track) throw new ScribeError('conflict', "The visit's audio was removed; nothing more to transcribe.");
      const stopped = track.status === 'stopped';
      const { segments, complete } = await capture.segments(run.visitId, run.after);
      const todo = segments.filter((s) => !run.done.has(s.index));
      run.segmentsPending = todo.length;
      if (todo.length > 0) setState(run, 'running');
      for (const segment of segments) {
        if (!run.done.has(segment.index)) await transcribeSpeech(run, segment);
        run.after = Math.max(run.after, segment.index);
        run.speechEndMs = Math.max(run.speechEndMs, segment.endMs);
      }
      if (segments.length > 0) continue;
      // No detector on this machine, or it could not finish (its model failed): the audio after the
      // last speech segment is read in windows.
      if (capture.status(run.visitId).vad === 'unavailable' || (stopped && !complete)) {
        run.windowFloorMs = Math.max(run.windowFloorMs, run.speechEndMs);
        await transcribeWindows(run, Math.floor(track.sampleCount / SAMPLES_PER_MS), stopped);
      }
      if (stopped) {
        finalize(run);
        setState(run, 'finished');
        return;
      }
      setState(run, 'following');
      await waitForWork(run);
    }
  }

  function start(run: Run): void {
    runs.set(run.visitId, run);
    run.loop = drive(run).then(
      () => undefined,
      (error: unknown) => {
        run.failure = error;
        if (isCancelled(error) || run.controller.signal.aborted) {
          run.error = null;
          setState(run, 'cancelled');
          return;
        }
        const safe = error instanceof ScribeError ? error : new ScribeError('internal', 'Transcription failed unexpectedly; the audio is kept and can be transcribed again.');
        run.error = { code: error instanceof AsrError ? error.failure : safe.code, message: safe.message };
        logger.error('asr.failed', { visitId: run.visitId, engine: run.engineName, code: run.error.code, type: error instanceof Error ? error.name : typeof error });
        audit.append({ actor: run.actorId, action: 'transcription.failed', objectType: 'visit', objectId: run.visitId });
        setState(run, 'failed');
      },
    );
  }

  function newRun(visitId: VisitId, engineName: EngineName, actorId: string): Run {
    const visit = visits.get(visitId);
    if (!visit) throw new NotFoundError('The visit');
    if (!audio.track(visitId)) throw new ScribeError('conflict', 'This visit has no recorded audio to transcribe yet.');
    const existing = transcripts.read(visitId);
    if (existing?.source === 'import') throw new ScribeError('conflict', 'This visit has an imported transcript; it is not transcribed again.');
    const engine = engineFor(engineName);
    const guard = createHallucinationGuard(deps.guard);
    const pieces: Piece[] = (existing?.segments ?? []).map((s) => ({ ...s, confidence: s.confidence, ...speakerCues(s.text), group: speechGroup(s.id.split('.')[0] ?? s.id) }));
    for (const piece of pieces.slice(-3)) guard.remember(piece.text);
    const done = new Set<number>();
    let windowFloorMs = 0;
    for (const piece of pieces) {
      const segment = SEGMENT_ID.exec(piece.id);
      if (segment) done.add(Number(segment[1]));
      const window = WINDOW_ID.exec(piece.id);
      if (window) windowFloorMs = Math.max(windowFloorMs, Number(window[1]));
    }
    const vocabulary = { ...deps.vocabulary?.(visitId), reasonForVisit: visit.patient.reasonForVisit };
    const run: Run = {
      visitId,
      engineName,
      engine,
      controller: new AbortController(),
      guard,
      prompt: transcriptionPrompt(vocabulary, { ...visit.patient, displayName: visit.patient.displayName, patientId: visit.patientId, encounterId: visit.encounterId }),
      actorId,
      done,
      pieces,
      state: 'running',
      after: -1,
      windowFloorMs,
      speechEndMs: 0,
      segmentsDone: 0,
      segmentsPending: 0,
      dropped: 0,
      final: existing?.final ?? false,
      error: null,
      failure: undefined,
      wake: undefined,
      waiters: [],
      loop: undefined,
    };
    // Audio leaving this machine is recorded per run; a local run is recorded too.
    audit.append({ actor: actorId, action: engineName === 'local' ? 'transcription.started' : 'transcription.audio_sent', objectType: 'visit', objectId: visitId });
    logger.info('asr.started', { visitId, engine: engineName, model: engine.model, resumed: pieces.length });
    return run;
  }

  const caughtUp = (run: Run) => run.state !== 'running';

  function waitCaughtUp(run: Run): Promise<void> {
    if (caughtUp(run)) return Promise.resolve();
    return new Promise((resolve) => run.waiters.push(resolve));
  }

  function idleStatus(visitId: VisitId): TranscriptionStatus {
    if (!visits.get(visitId)) throw new NotFoundError('The visit');
    const stored = transcripts.read(visitId);
    return {
      visitId,
      state: stored?.final ? 'finished' : 'idle',
      engine: null,
      model: null,
      segmentsDone: 0,
      segmentsPending: 0,
      segmentsDropped: 0,
      transcriptSegments: stored?.segments.length ?? 0,
      final: stored?.final ?? false,
      error: null,
    };
  }

  const wake = (visitId: VisitId) => {
    const run = runs.get(visitId);
    if (run && (run.state === 'following' || run.state === 'running')) run.wake?.();
    return run;
  };
  const offSegment = events.on('capture:segment', ({ visitId }) => {
    if (!closed) wake(visitId);
  });
  const offVisit = events.on('visit:changed', ({ visitId, state }) => {
    if (closed) return;
    const run = wake(visitId);
    if (state === 'recording' && live() && (!run || run.state === 'failed' || run.state === 'cancelled')) startLive(visitId);
  });
  const unsubscribe = () => {
    offSegment();
    offVisit();
  };

  /** Live transcription at the start of a recording; a failure to start is shown, never thrown at capture. */
  function startLive(visitId: VisitId): void {
    const engineName = deps.defaultEngine ?? 'local';
    try {
      if (transcripts.read(visitId)?.final) return;
      start(newRun(visitId, engineName, 'system'));
    } catch (error) {
      const message = error instanceof ScribeError ? error.message : 'Live transcription could not start; the recording goes on.';
      const code = error instanceof AsrError ? error.failure : error instanceof ScribeError ? error.code : 'internal';
      logger.warn('asr.live_not_started', { visitId, engine: engineName, code });
      events.emit('transcription:progress', { ...idleStatus(visitId), state: 'failed', engine: engineName, error: { code, message } });
    }
  }

  return {
    async transcribe(visitId, engine, actor) {
      if (closed) throw new ScribeError('unavailable', 'Transcription is shutting down.');
      const engineName = engine ?? deps.defaultEngine ?? 'local';
      let run = runs.get(visitId);
      if (run && (run.state === 'running' || run.state === 'following')) {
        if (run.engineName !== engineName) {
          throw new ScribeError('conflict', `This visit is already being transcribed with the ${run.engineName} engine; cancel that first.`);
        }
        run.wake?.();
      } else {
        const stored = transcripts.read(visitId);
        if (stored?.source === 'import') throw new ScribeError('conflict', 'This visit has an imported transcript; it is not transcribed again.');
        if (stored?.final) return idleStatus(visitId);
        run = newRun(visitId, engineName, actor.id);
        start(run);
      }
      await waitCaughtUp(run);
      if (run.state === 'failed' && run.failure instanceof ScribeError) throw run.failure;
      if (run.state === 'failed') throw new ScribeError('internal', run.error?.message ?? 'Transcription failed.');
      return statusOf(run);
    },

    status(visitId) {
      const run = runs.get(visitId);
      return run ? statusOf(run) : idleStatus(visitId);
    },

    async cancel(visitId, actor) {
      const run = runs.get(visitId);
      if (!run || (run.state !== 'running' && run.state !== 'following')) return run ? statusOf(run) : idleStatus(visitId);
      run.controller.abort();
      await run.loop;
      audit.append({ actor: actor.id, action: 'transcription.cancelled', objectType: 'visit', objectId: visitId });
      return statusOf(run);
    },

    async close() {
      closed = true;
      unsubscribe();
      for (const run of runs.values()) run.controller.abort();
      await Promise.allSettled([...runs.values()].map((run) => run.loop ?? Promise.resolve()));
      await Promise.allSettled([...cached.values()].map((engine) => engine.close()));
      cached.clear();
    },
  };
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal.addEventListener('abort', done, { once: true });
  });
}

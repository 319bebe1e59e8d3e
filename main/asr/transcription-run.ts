import type { SpeechSegment } from '../../shared/domain/capture.js';
import { SAMPLES_PER_MS } from '../../shared/domain/capture.js';
import type { TranscriptionEngine as EngineName } from '../../shared/domain/policy.js';
import type { TranscriptSegment } from '../../shared/domain/transcript.js';
import type { TranscriptionState, TranscriptionStatus } from '../../shared/domain/transcription.js';
import type { VisitId } from '../../shared/ids.js';
import type { AuditLog } from '../audit/audit-log.js';
import type { CaptureService } from '../capture/capture-service.js';
import { ScribeError } from '../kernel/errors.js';
import type { Logger } from '../log/logger.js';
import type { AudioRepository } from '../store/audio-repository.js';
import type { TranscriptService } from '../transcripts/transcript-service.js';
import { AsrError, audioRemoved, cancelledError, isCancelled, unexpectedFailure } from './asr-error.js';
import { audioStats, toFloat32 } from './audio-stats.js';
import { describeFailure } from './failure-words.js';
import type { SpeechInput, TranscriptionEngine } from './engine.js';
import type { DropReason, GuardOptions, HallucinationGuard } from './hallucination-guard.js';
import { createHallucinationGuard } from './hallucination-guard.js';
import type { Piece } from './run-transcript.js';
import { newPiece, RunTranscript } from './run-transcript.js';
import { readSpeech } from './segment-audio.js';
import { cutAtQuietest, WINDOW_MS } from './window-cut.js';

/** What every run of a service shares. */
export interface TranscriptionRunDeps {
  readonly audio: AudioRepository;
  readonly capture: Pick<CaptureService, 'segments' | 'status'>;
  readonly transcripts: Pick<TranscriptService, 'appendSegments' | 'finalize'>;
  readonly audit: AuditLog;
  readonly logger: Logger;
  /** Each change of the run's progress. */
  readonly onProgress: (status: TranscriptionStatus) => void;
  /** A run that failed (not cancelled), told before its callers hear of it. */
  readonly onFailed?: (visitId: VisitId, engine: EngineName, error: unknown) => void;
  readonly guard?: Partial<GuardOptions>;
  /** Retries of one segment after a failure that may pass (timeouts, 5xx, a crashed worker), with these waits. */
  readonly retryDelaysMs: readonly number[];
  /** How often a following run looks for new audio when nothing woke it (no-VAD recordings grow silently). */
  readonly pollMs: number;
}

export interface TranscriptionRunOptions {
  readonly visitId: VisitId;
  readonly engineName: EngineName;
  readonly engine: TranscriptionEngine;
  readonly prompt: string | undefined;
  readonly actorId: string;
  /** What the visit's transcript holds already: the run carries on after it. */
  readonly stored: { readonly segments: readonly TranscriptSegment[]; readonly final: boolean } | undefined;
}

/**
 * One transcription of one visit's audio: works through the closed speech segments (or fixed windows
 * without a detector), stores what the engine hears, follows a recording that goes on until it stops,
 * then finalises the transcript. Owns its progress, its cancellation and its wake-up.
 */
export class TranscriptionRun {
  readonly visitId: VisitId;
  readonly engineName: EngineName;
  private readonly engine: TranscriptionEngine;
  private readonly prompt: string | undefined;
  private readonly actorId: string;
  private readonly controller = new AbortController();
  private readonly guard: HallucinationGuard;
  private readonly transcript: RunTranscript;
  /** Speech segments (by index) already in the transcript or judged empty. */
  private readonly done: Set<number>;
  private currentState: TranscriptionState = 'running';
  /** The last speech segment index asked for. */
  private after = -1;
  /** Detector-less recordings: transcribed up to here. */
  private windowFloorMs: number;
  /** Where the last speech segment seen ends. */
  private speechEndMs = 0;
  private segmentsDone = 0;
  private segmentsPending = 0;
  private dropped = 0;
  private final: boolean;
  private error: { code: string; message: string } | null = null;
  /** Why the run failed, as thrown. */
  private failure: unknown;
  private wakeUp: (() => void) | undefined;
  /** Callers waiting for the run to catch up (following) or end. */
  private waiters: (() => void)[] = [];
  private loop: Promise<void> | undefined;

  constructor(
    private readonly deps: TranscriptionRunDeps,
    options: TranscriptionRunOptions,
  ) {
    this.visitId = options.visitId;
    this.engineName = options.engineName;
    this.engine = options.engine;
    this.prompt = options.prompt;
    this.actorId = options.actorId;
    this.transcript = new RunTranscript(options.stored?.segments ?? []);
    this.guard = createHallucinationGuard(deps.guard);
    for (const text of this.transcript.lastTexts(3)) this.guard.remember(text);
    this.done = this.transcript.segmentsDone();
    this.windowFloorMs = this.transcript.windowsEndMs();
    this.final = options.stored?.final ?? false;
  }

  get state(): TranscriptionState {
    return this.currentState;
  }

  /** Working through audio or following a recording: it can be woken, cancelled, joined. */
  get active(): boolean {
    return this.currentState === 'running' || this.currentState === 'following';
  }

  status(): TranscriptionStatus {
    return {
      visitId: this.visitId,
      state: this.currentState,
      engine: this.engineName,
      model: this.engine.model,
      segmentsDone: this.segmentsDone,
      segmentsPending: this.segmentsPending,
      segmentsDropped: this.dropped,
      transcriptSegments: this.transcript.size,
      final: this.final,
      error: this.error,
    };
  }

  /** Records the run in the audit log (audio leaving this machine is recorded per run) and starts it. */
  start(): void {
    if (this.loop) return;
    const { audit, logger } = this.deps;
    audit.append({
      actor: this.actorId,
      action: this.engineName === 'local' ? 'transcription.started' : 'transcription.audio_sent',
      objectType: 'visit',
      objectId: this.visitId,
    });
    logger.info('asr.started', { visitId: this.visitId, engine: this.engineName, model: this.engine.model, resumed: this.transcript.size });
    this.loop = this.drive().then(
      () => undefined,
      (error: unknown) => this.stopped(error),
    );
  }

  /** New audio or a new state of the recording: look again now rather than at the next poll. */
  wake(): void {
    if (this.active) this.wakeUp?.();
  }

  /** Resolves once the run has caught up with the recording (following) or ended; throws what it failed with. */
  async caughtUp(): Promise<TranscriptionStatus> {
    if (this.currentState === 'running') await new Promise<void>((resolve) => this.waiters.push(resolve));
    if (this.currentState === 'failed') throw this.failure instanceof ScribeError ? this.failure : unexpectedFailure();
    return this.status();
  }

  /** Stops the run; what was transcribed stays. Resolves once it has stopped. */
  async cancel(): Promise<void> {
    this.controller.abort();
    await this.loop;
  }

  private get aborted(): boolean {
    return this.controller.signal.aborted;
  }

  private setState(state: TranscriptionState): void {
    if (this.currentState === state) return;
    this.currentState = state;
    this.announce();
    if (state !== 'running') for (const waiter of this.waiters.splice(0)) waiter();
  }

  private announce(): void {
    this.deps.onProgress(this.status());
  }

  private stopped(error: unknown): void {
    this.failure = error;
    if (isCancelled(error) || this.aborted) {
      this.error = null;
      this.setState('cancelled');
      return;
    }
    const safe = error instanceof ScribeError ? error : unexpectedFailure();
    // Shown to clinicians as it is: plain words; the technical message is kept with the visit for IT.
    this.error = {
      code: error instanceof AsrError ? error.failure : safe.code,
      message: describeFailure(error, this.engineName, new Date()).message,
    };
    this.deps.logger.error('asr.failed', {
      visitId: this.visitId,
      engine: this.engineName,
      code: this.error.code,
      type: error instanceof Error ? error.name : typeof error,
    });
    this.deps.audit.append({ actor: this.actorId, action: 'transcription.failed', objectType: 'visit', objectId: this.visitId });
    this.deps.onFailed?.(this.visitId, this.engineName, error);
    this.setState('failed');
  }

  private async drive(): Promise<void> {
    const { audio, capture } = this.deps;
    for (;;) {
      if (this.aborted) throw cancelledError();
      const track = audio.track(this.visitId);
      if (!track) throw audioRemoved();
      const stopped = track.status === 'stopped';
      const { segments, complete } = await capture.segments(this.visitId, this.after);
      const todo = segments.filter((s) => !this.done.has(s.index));
      this.segmentsPending = todo.length;
      if (todo.length > 0) this.setState('running');
      for (const segment of segments) {
        if (!this.done.has(segment.index)) await this.transcribeSpeech(segment);
        this.after = Math.max(this.after, segment.index);
        this.speechEndMs = Math.max(this.speechEndMs, segment.endMs);
      }
      if (segments.length > 0) continue;
      // No detector on this machine, or it could not finish (its model failed): the audio after the
      // last speech segment is read in windows.
      if (capture.status(this.visitId).vad === 'unavailable' || (stopped && !complete)) {
        this.windowFloorMs = Math.max(this.windowFloorMs, this.speechEndMs);
        await this.transcribeWindows(Math.floor(track.sampleCount / SAMPLES_PER_MS), stopped);
      }
      if (stopped) {
        this.finalize();
        this.setState('finished');
        return;
      }
      this.setState('following');
      await this.waitForWork();
    }
  }

  private async transcribeSpeech(segment: SpeechSegment): Promise<void> {
    const pcm = readSpeech(this.deps.audio, this.visitId, segment.startMs, segment.endMs);
    const pieces = pcm.length === 0 ? [] : await this.recognize({ id: `a${segment.index}`, startMs: segment.startMs, pcm });
    if (this.aborted) throw cancelledError();
    this.store(pieces);
    this.done.add(segment.index);
    this.segmentsDone += 1;
    this.segmentsPending = Math.max(0, this.segmentsPending - 1);
    this.announce();
  }

  /** Detector-less audio: windows of up to 29.5 s, each cut at the quietest moment near its end. */
  private async transcribeWindows(endMs: number, ended: boolean): Promise<void> {
    while (!this.aborted) {
      const from = this.windowFloorMs;
      const available = endMs - from;
      if (available <= 0 || (!ended && available < WINDOW_MS)) return;
      let to = Math.min(endMs, from + WINDOW_MS);
      let pcm = readSpeech(this.deps.audio, this.visitId, from, to);
      if (to < endMs || !ended) ({ pcm, toMs: to } = cutAtQuietest(pcm, from));
      this.setState('running');
      const pieces = pcm.length === 0 ? [] : await this.recognize({ id: `w${from}-${to}`, startMs: from, pcm });
      if (this.aborted) throw cancelledError();
      this.store(pieces);
      this.windowFloorMs = to;
      this.segmentsDone += 1;
      this.announce();
    }
  }

  private async recognize(input: SpeechInput): Promise<Piece[]> {
    const { logger, retryDelaysMs } = this.deps;
    const signal = this.controller.signal;
    for (let attempt = 0; ; attempt += 1) {
      try {
        const recognized = await this.engine.transcribe([input], { signal, prompt: this.prompt });
        const samples = toFloat32(input.pcm);
        const kept: Piece[] = [];
        const reasons = new Map<DropReason, number>();
        recognized.forEach((r, k) => {
          const from = Math.round((r.startMs - input.startMs) * SAMPLES_PER_MS);
          const to = Math.round((r.endMs - input.startMs) * SAMPLES_PER_MS);
          const verdict = this.guard.check(r, audioStats(samples, from, to));
          if (!verdict.keep) {
            reasons.set(verdict.reason, (reasons.get(verdict.reason) ?? 0) + 1);
            return;
          }
          kept.push(newPiece(input.id, k, { startMs: r.startMs, endMs: r.endMs, text: verdict.text, confidence: verdict.confidence }));
        });
        for (const [reason, count] of reasons) logger.info('asr.guard_dropped', { visitId: this.visitId, reason, count });
        this.dropped += recognized.length - kept.length;
        return kept;
      } catch (error) {
        const delay = retryDelaysMs[attempt];
        if (!(error instanceof AsrError) || !error.retryable || delay === undefined || signal.aborted) throw error;
        logger.warn('asr.retry', { visitId: this.visitId, failure: error.failure, attempt: attempt + 1 });
        await sleep(delay, signal);
      }
    }
  }

  private store(fresh: readonly Piece[]): void {
    const changed = this.transcript.add(fresh);
    if (changed.length > 0) this.deps.transcripts.appendSegments(this.visitId, changed);
  }

  private finalize(): void {
    // An empty recording still ends with a (final, empty) transcript: drafting then says so.
    this.deps.transcripts.appendSegments(this.visitId, []);
    this.deps.transcripts.finalize(this.visitId, this.actorId);
    this.final = true;
    this.segmentsPending = 0;
    this.deps.logger.info('asr.finished', {
      visitId: this.visitId,
      engine: this.engineName,
      segments: this.transcript.size,
      dropped: this.dropped,
    });
  }

  private waitForWork(): Promise<void> {
    return new Promise((resolve) => {
      const signal = this.controller.signal;
      const done = () => {
        clearTimeout(timer);
        // A visit waits thousands of times: listeners must not pile up on the run's signal.
        signal.removeEventListener('abort', done);
        this.wakeUp = undefined;
        resolve();
      };
      const timer = setTimeout(done, this.deps.pollMs);
      timer.unref();
      this.wakeUp = done;
      signal.addEventListener('abort', done, { once: true });
    });
  }
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

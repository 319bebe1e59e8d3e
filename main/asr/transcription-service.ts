import type { TranscriptionEngine as EngineName } from '../../shared/domain/policy.js';
import type { TranscriptionStatus } from '../../shared/domain/transcription.js';
import type { VisitId } from '../../shared/ids.js';
import type { Actor } from '../kernel/actor.js';
import type { EventBus } from '../kernel/event-bus.js';
import type { AuditLog } from '../audit/audit-log.js';
import type { CaptureService } from '../capture/capture-service.js';
import { ScribeError } from '../kernel/errors.js';
import type { Logger } from '../log/logger.js';
import type { AudioRepository } from '../store/audio-repository.js';
import type { VisitRecords } from '../store/visit-repository.js';
import type { TranscriptService } from '../transcripts/transcript-service.js';
import type { VisitLifecycle } from '../visits/lifecycle.js';
import { visitNotFound } from '../store/errors.js';
import { AsrError, engineBusy, importedTranscript, liveNotStarted, noAudioToTranscribe, transcriptionClosing } from './asr-error.js';
import type { TranscriptionEngine } from './engine.js';
import type { EngineFactory } from './engine-factory.js';
import { describeFailure, holdsVisit } from './failure-words.js';
import type { TranscriptionFailures } from './transcription-failures.js';
import type { GuardOptions } from './hallucination-guard.js';
import type { VisitVocabulary } from './transcription-prompt.js';
import { transcriptionPrompt } from './transcription-prompt.js';
import type { TranscriptionRunDeps } from './transcription-run.js';
import { TranscriptionRun } from './transcription-run.js';

export interface TranscriptionService {
  /**
   * Transcribes what the visit's audio holds and is not yet in its transcript, then: finalises the
   * transcript when the recording has stopped, or keeps following a recording that goes on (each
   * speech segment is transcribed as the detector closes it). Resolves once caught up.
   */
  transcribe(visitId: VisitId, engine: EngineName | undefined, actor: Actor): Promise<TranscriptionStatus>;
  /** While the visit is in transcription_failed, also why (`failure`), as kept with the visit. */
  status(visitId: VisitId): TranscriptionStatus;
  /**
   * After a restart: a recorded visit left transcribing with no run (its last run failed, or the
   * process ended) is transcribed again when transcription starts by itself here; failing again for
   * a reason that will not pass moves it to transcription_failed rather than leaving it waiting.
   */
  resume(visitId: VisitId): void;
  /** Stops a run; what was transcribed stays, and a later run carries on from there. */
  cancel(visitId: VisitId, actor: Actor): Promise<TranscriptionStatus>;
  close(): Promise<void>;
}

export interface TranscriptionServiceDeps {
  readonly visits: Pick<VisitRecords, 'get'>;
  readonly lifecycle: Pick<VisitLifecycle, 'transition'>;
  readonly failures: TranscriptionFailures;
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

export function createTranscriptionService(deps: TranscriptionServiceDeps): TranscriptionService {
  const { visits, audio, transcripts, audit, events, logger, lifecycle, failures } = deps;
  const runs = new Map<VisitId, TranscriptionRun>();
  /** Visits whose transcription started (or failed to start) by itself when their recording began. */
  const startedLive = new Set<VisitId>();
  /** The local engine holds a loaded model: kept between visits. */
  const cached = new Map<EngineName, TranscriptionEngine>();
  const live = typeof deps.live === 'function' ? deps.live : () => deps.live === true;
  const runDeps: TranscriptionRunDeps = {
    audio,
    capture: deps.capture,
    transcripts,
    audit,
    logger,
    onProgress: (status) => events.emit('transcription:progress', withFailure(status)),
    onFailed: (visitId, engine, error) => hold(visitId, engine, error),
    guard: deps.guard,
    retryDelaysMs: deps.retryDelaysMs ?? [2_000, 8_000],
    pollMs: deps.pollMs ?? 5_000,
  };
  let closed = false;

  function engineFor(name: EngineName): TranscriptionEngine {
    const existing = cached.get(name);
    if (existing) return existing;
    const engine = deps.engines(name);
    if (name === 'local') cached.set(name, engine);
    return engine;
  }

  /** Checks the visit can be transcribed, then starts a run that carries on from its stored transcript. */
  function startRun(visitId: VisitId, engineName: EngineName, actorId: string): TranscriptionRun {
    const visit = visits.get(visitId);
    if (!visit) throw visitNotFound();
    if (!audio.track(visitId)) throw noAudioToTranscribe();
    const stored = transcripts.read(visitId);
    if (stored?.source === 'import') throw importedTranscript();
    const engine = engineFor(engineName);
    const vocabulary = { ...deps.vocabulary?.(visitId), reasonForVisit: visit.patient.reasonForVisit };
    const prompt = transcriptionPrompt(vocabulary, {
      ...visit.patient,
      displayName: visit.patient.displayName,
      patientId: visit.patientId,
      encounterId: visit.encounterId,
    });
    const run = new TranscriptionRun(runDeps, { visitId, engineName, engine, prompt, actorId, stored });
    runs.set(visitId, run);
    run.start();
    return run;
  }

  /**
   * A recorded visit whose transcription failed waits in transcription_failed with why, instead of
   * in transcribing for a run that will never come. Not when a transcript was imported meanwhile.
   */
  function hold(visitId: VisitId, engine: EngineName, error: unknown): void {
    if (closed || !holdsVisit(error) || transcripts.read(visitId)?.final) return;
    const failure = describeFailure(error, engine, new Date());
    const held = failures.hold(visitId, failure, () =>
      lifecycle.transition(visitId, ['transcribing', 'transcription_failed'], 'transcription_failed'),
    );
    if (!held) return;
    logger.warn('asr.visit_held', { visitId, engine, reason: failure.reason });
    // A run that failed says so itself; one that could not start (no model) is told here.
    if (!runs.get(visitId)?.active) events.emit('transcription:progress', idleStatus(visitId));
  }

  /** The visit's kept failure, while it is in transcription_failed. */
  function withFailure(status: TranscriptionStatus): TranscriptionStatus {
    if (visits.get(status.visitId)?.state !== 'transcription_failed') return status;
    const failure = failures.get(status.visitId);
    if (!failure) return status;
    return { ...status, state: 'failed', error: status.error ?? { code: failure.reason, message: failure.message }, failure };
  }

  function idleStatus(visitId: VisitId): TranscriptionStatus {
    if (!visits.get(visitId)) throw visitNotFound();
    const stored = transcripts.read(visitId);
    return withFailure({
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
    });
  }

  const offSegment = events.on('capture:segment', ({ visitId }) => {
    if (!closed) runs.get(visitId)?.wake();
  });
  const offVisit = events.on('visit:changed', ({ visitId, state }) => {
    if (closed) return;
    const run = runs.get(visitId);
    run?.wake();
    if (state === 'recording' && live() && (!run || run.state === 'failed' || run.state === 'cancelled')) {
      startedLive.add(visitId);
      startLive(visitId);
    }
    // The recording stopped and its live run had failed (or never started): one more try, now on the whole recording.
    // Not from inside this event: a visit:changed it causes must reach listeners after this one does.
    if (state === 'transcribing' && startedLive.has(visitId) && (!run || run.state === 'failed')) {
      setImmediate(() => {
        const latest = runs.get(visitId);
        if (!closed && (!latest || latest.state === 'failed')) startLive(visitId);
      });
    }
  });

  /** Live transcription at the start of a recording; a failure to start is shown, never thrown at capture. */
  function startLive(visitId: VisitId): void {
    const engineName = deps.defaultEngine ?? 'local';
    try {
      if (transcripts.read(visitId)?.final) return;
      startRun(visitId, engineName, 'system');
    } catch (error) {
      const shown = error instanceof ScribeError ? error : liveNotStarted();
      const code = error instanceof AsrError ? error.failure : shown.code;
      logger.warn('asr.live_not_started', { visitId, engine: engineName, code });
      hold(visitId, engineName, error);
      events.emit(
        'transcription:progress',
        withFailure({
          ...idleStatus(visitId),
          state: 'failed',
          engine: engineName,
          error: { code, message: describeFailure(shown, engineName, new Date()).message },
        }),
      );
    }
  }

  return {
    async transcribe(visitId, engine, actor) {
      if (closed) throw transcriptionClosing();
      const engineName = engine ?? deps.defaultEngine ?? 'local';
      let run = runs.get(visitId);
      if (run?.active) {
        if (run.engineName !== engineName) throw engineBusy(run.engineName);
        run.wake();
      } else {
        const stored = transcripts.read(visitId);
        if (stored?.source === 'import') throw importedTranscript();
        if (stored?.final) return idleStatus(visitId);
        try {
          run = startRun(visitId, engineName, actor.id);
        } catch (error) {
          hold(visitId, engineName, error);
          throw error;
        }
        // Tried again: the visit waits for this run (a failure brings it back, with the new reason).
        lifecycle.transition(visitId, ['transcription_failed', 'transcribing'], 'transcribing');
      }
      return run.caughtUp();
    },

    status(visitId) {
      const run = runs.get(visitId);
      return run ? withFailure(run.status()) : idleStatus(visitId);
    },

    resume(visitId) {
      if (closed || runs.has(visitId) || !live()) return;
      const stored = transcripts.read(visitId);
      if (stored?.final || stored?.source === 'import' || audio.track(visitId)?.status !== 'stopped') return;
      startLive(visitId);
    },

    async cancel(visitId, actor) {
      const run = runs.get(visitId);
      if (!run?.active) return run?.status() ?? idleStatus(visitId);
      await run.cancel();
      audit.append({ actor: actor.id, action: 'transcription.cancelled', objectType: 'visit', objectId: visitId });
      return run.status();
    },

    async close() {
      closed = true;
      offSegment();
      offVisit();
      await Promise.allSettled([...runs.values()].map((run) => run.cancel()));
      await Promise.allSettled([...cached.values()].map((engine) => engine.close()));
      cached.clear();
    },
  };
}

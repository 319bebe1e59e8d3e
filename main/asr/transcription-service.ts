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
import { visitNotFound } from '../store/errors.js';
import { AsrError, engineBusy, importedTranscript, liveNotStarted, noAudioToTranscribe, transcriptionClosing } from './asr-error.js';
import type { TranscriptionEngine } from './engine.js';
import type { EngineFactory } from './engine-factory.js';
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
  status(visitId: VisitId): TranscriptionStatus;
  /** Stops a run; what was transcribed stays, and a later run carries on from there. */
  cancel(visitId: VisitId, actor: Actor): Promise<TranscriptionStatus>;
  close(): Promise<void>;
}

export interface TranscriptionServiceDeps {
  readonly visits: Pick<VisitRecords, 'get'>;
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
  const { visits, audio, transcripts, audit, events, logger } = deps;
  const runs = new Map<VisitId, TranscriptionRun>();
  /** The local engine holds a loaded model: kept between visits. */
  const cached = new Map<EngineName, TranscriptionEngine>();
  const live = typeof deps.live === 'function' ? deps.live : () => deps.live === true;
  const runDeps: TranscriptionRunDeps = {
    audio,
    capture: deps.capture,
    transcripts,
    audit,
    logger,
    onProgress: (status) => events.emit('transcription:progress', status),
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

  function idleStatus(visitId: VisitId): TranscriptionStatus {
    if (!visits.get(visitId)) throw visitNotFound();
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

  const offSegment = events.on('capture:segment', ({ visitId }) => {
    if (!closed) runs.get(visitId)?.wake();
  });
  const offVisit = events.on('visit:changed', ({ visitId, state }) => {
    if (closed) return;
    const run = runs.get(visitId);
    run?.wake();
    if (state === 'recording' && live() && (!run || run.state === 'failed' || run.state === 'cancelled')) startLive(visitId);
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
      events.emit('transcription:progress', {
        ...idleStatus(visitId),
        state: 'failed',
        engine: engineName,
        error: { code, message: shown.message },
      });
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
        run = startRun(visitId, engineName, actor.id);
      }
      return run.caughtUp();
    },

    status(visitId) {
      return runs.get(visitId)?.status() ?? idleStatus(visitId);
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

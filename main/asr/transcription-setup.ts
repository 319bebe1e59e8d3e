import type { TranscriptionEngine as EngineName } from '../../shared/domain/policy.js';
import type { VisitId } from '../../shared/ids.js';
import type { EventBus } from '../kernel/event-bus.js';
import type { AuditLog } from '../audit/audit-log.js';
import type { CaptureService } from '../capture/capture-service.js';
import type { Logger } from '../log/logger.js';
import type { PolicyGate } from '../policy/policy-gate.js';
import type { AudioRepository } from '../store/audio-repository.js';
import type { Store } from '../store/store.js';
import type { VisitRecords } from '../store/visit-repository.js';
import type { TranscriptService } from '../transcripts/transcript-service.js';
import type { VisitLifecycle } from '../visits/lifecycle.js';
import type { EngineFactory } from './engine-factory.js';
import { createEngineFactory } from './engine-factory.js';
import type { GuardOptions } from './hallucination-guard.js';
import type { OpenAiAsrConfigResult } from './openai-asr-config.js';
import { createSqliteTranscriptionFailures } from './transcription-failures.js';
import type { TranscriptionService } from './transcription-service.js';
import { createTranscriptionService } from './transcription-service.js';
import type { VisitVocabulary } from './transcription-prompt.js';

/** How a Scribe transcribes (ScribeOptions.transcription). Everything is optional. */
export interface TranscriptionOptions {
  /** `--models-dir` / SCRIBE_MODELS_DIR; default: the per-user models folder, then resources/models. */
  readonly modelsDir?: string | undefined;
  /** A model folder id to use when several are installed. */
  readonly localModel?: string | undefined;
  /** The OpenAI-compatible service, read at each run (the CLI passes openAiAsrConfigFromEnv). */
  readonly openaiConfig?: () => OpenAiAsrConfigResult;
  /** Transcribe while recording, starting when a recording starts. Default off (the desktop app and `scribe web` turn it on). */
  readonly live?: boolean | (() => boolean);
  /** The engine for live runs and for requests that name none. Default local. */
  readonly defaultEngine?: EngineName;
  /** Medications and problem list for a visit; default: the lists stored with the visit when it was started from the EHR. */
  readonly vocabulary?: (visitId: VisitId) => VisitVocabulary | undefined;
  /** Tests and benchmarks: other engines. */
  readonly engines?: EngineFactory;
  readonly guard?: Partial<GuardOptions>;
  readonly retryDelaysMs?: readonly number[];
  /** The environment SCRIBE_MODELS_DIR is read from (default: none, so only modelsDir counts). */
  readonly env?: NodeJS.ProcessEnv;
}

export interface TranscriptionSetupDeps {
  readonly options: TranscriptionOptions | undefined;
  readonly store: Store;
  readonly visits: Pick<VisitRecords, 'get'>;
  readonly lifecycle: Pick<VisitLifecycle, 'transition'>;
  readonly audio: AudioRepository;
  readonly capture: CaptureService;
  readonly transcripts: TranscriptService;
  readonly audit: AuditLog;
  readonly events: EventBus;
  readonly logger: Logger;
  readonly policy: PolicyGate;
}

/** The transcription service with its engines, as the composition root wires it. */
export function setUpTranscription(deps: TranscriptionSetupDeps): TranscriptionService {
  const o = deps.options ?? {};
  const engines =
    o.engines ??
    createEngineFactory({
      policy: deps.policy,
      logger: deps.logger,
      modelsDir: o.modelsDir,
      localModel: o.localModel,
      openaiConfig: o.openaiConfig,
      env: o.env,
    });
  return createTranscriptionService({
    visits: deps.visits,
    lifecycle: deps.lifecycle,
    failures: createSqliteTranscriptionFailures(deps.store),
    audio: deps.audio,
    capture: deps.capture,
    transcripts: deps.transcripts,
    audit: deps.audit,
    events: deps.events,
    logger: deps.logger,
    engines,
    defaultEngine: o.defaultEngine,
    live: o.live,
    vocabulary: o.vocabulary ?? storedVocabulary(deps.visits),
    guard: o.guard,
    retryDelaysMs: o.retryDelaysMs,
  });
}

/** The medications and problem list kept with the visit (read from the EHR when it was started). */
function storedVocabulary(visits: Pick<VisitRecords, 'get'>): (visitId: VisitId) => VisitVocabulary | undefined {
  return (visitId) => {
    const patient = visits.get(visitId)?.patient;
    return patient ? { medications: patient.medications ?? [], problems: patient.problems ?? [] } : undefined;
  };
}

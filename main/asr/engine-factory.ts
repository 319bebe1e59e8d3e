import type { TranscriptionEngine as EngineName } from '../../shared/domain/policy.js';
import type { Logger } from '../log/logger.js';
import type { PolicyGate } from '../policy/policy-gate.js';
import { AsrError } from './asr-error.js';
import type { TranscriptionEngine } from './engine.js';
import { createLocalWhisperEngine } from './local-whisper-engine.js';
import { modelsSearchPath } from './models-dir.js';
import type { OpenAiAsrConfigResult } from './openai-asr-config.js';
import { asrBaseUrl } from './openai-asr-config.js';
import { createOpenAiEngine } from './openai-engine.js';

/** Makes an engine by name, after the policy allowed it; throws a typed error saying why not. */
export type EngineFactory = (name: EngineName) => TranscriptionEngine;

export interface EngineFactoryDeps {
  readonly policy: Pick<PolicyGate, 'assertEngineAllowed'>;
  readonly logger: Logger;
  /** `--models-dir` / SCRIBE_MODELS_DIR; default: the per-user folder, then a packaged app's resources/models. */
  readonly modelsDir?: string | undefined;
  /** A model folder id to prefer (SCRIBE_ASR_LOCAL_MODEL). */
  readonly localModel?: string | undefined;
  /** Where the OpenAI-compatible service is, read at each run (the CLI passes its environment). */
  readonly openaiConfig?: () => OpenAiAsrConfigResult;
  readonly env?: NodeJS.ProcessEnv;
}

export function createEngineFactory(deps: EngineFactoryDeps): EngineFactory {
  return (name) => {
    if (name === 'local') {
      deps.policy.assertEngineAllowed('transcription', 'local');
      return createLocalWhisperEngine({
        modelsDirs: modelsSearchPath({ modelsDir: deps.modelsDir, env: deps.env ?? {} }),
        model: deps.localModel,
        logger: deps.logger,
      });
    }
    const result = deps.openaiConfig?.() ?? { ok: false as const, problem: 'No transcription service is configured on this workstation.' };
    if (!result.ok) throw new AsrError('not_configured', result.problem);
    // Refused here, before any audio is read, when policy keeps audio on this machine.
    deps.policy.assertEngineAllowed('transcription', 'openai', { baseUrl: asrBaseUrl(result.config) });
    return createOpenAiEngine(result.config, {
      logger: deps.logger,
      assertAllowed: (baseUrl) => deps.policy.assertEngineAllowed('transcription', 'openai', { baseUrl }),
    });
  };
}

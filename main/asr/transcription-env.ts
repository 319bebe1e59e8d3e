import { TranscriptionEngine } from '../../shared/domain/policy.js';
import { openAiAsrConfigFromEnv } from './openai-asr-config.js';
import type { TranscriptionOptions } from './transcription-setup.js';
import { unknownEngineInEnv } from './asr-error.js';

/**
 * Transcription settings for headless use, from the environment (and `--models-dir`):
 * SCRIBE_MODELS_DIR, SCRIBE_ASR_LOCAL_MODEL (a model folder), SCRIBE_ASR_ENGINE (local | openai),
 * SCRIBE_LIVE_TRANSCRIPTION (1 default, 0 off: transcribe while `scribe web` records), and the
 * OpenAI-compatible service's variables (./openai-asr-config.ts).
 */
export function transcriptionOptionsFromEnv(env: NodeJS.ProcessEnv, modelsDir?: string): TranscriptionOptions {
  const engine = env['SCRIBE_ASR_ENGINE']?.trim();
  const parsed = engine ? TranscriptionEngine.safeParse(engine) : undefined;
  if (parsed && !parsed.success) throw unknownEngineInEnv();
  return {
    modelsDir: modelsDir ?? (env['SCRIBE_MODELS_DIR']?.trim() || undefined),
    localModel: env['SCRIBE_ASR_LOCAL_MODEL']?.trim() || undefined,
    openaiConfig: () => openAiAsrConfigFromEnv(env),
    live: env['SCRIBE_LIVE_TRANSCRIPTION']?.trim() !== '0',
    defaultEngine: parsed?.data,
    env,
  };
}

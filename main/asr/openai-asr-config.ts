import { z } from 'zod';
import type { OpenAiConnection, OpenAiConnectionSpec } from '../openai/openai-connection-config.js';
import { connectionBaseUrl, connectionModelName, envReader, openAiConnectionFromEnv } from '../openai/openai-connection-config.js';

/**
 * Where cloud (or on-premises OpenAI-compatible) transcription goes: OpenAI itself, a compatible
 * server under the clinic's own agreement (SCRIBE_ASR_BASE_URL, e.g. a faster-whisper or vLLM
 * server), or an Azure OpenAI transcription deployment of its own (so Azure for drafting does not
 * move transcription). The connection is read as drafting reads its own
 * (../openai/openai-connection-config.ts); the model and the upload limit are transcription's.
 * Read from the environment at each run.
 */
export type OpenAiAsrConfig = OpenAiConnection & {
  /** The model (behind the deployment, on Azure): decides the response format. */
  readonly model: string;
  readonly maxUploadBytes: number;
};

export type OpenAiAsrConfigResult =
  { readonly ok: true; readonly config: OpenAiAsrConfig } | { readonly ok: false; readonly problem: string };

export const DEFAULT_ASR_MODEL = 'gpt-4o-transcribe';
/** Azure serves gpt-4o-transcribe from this API version on (whisper also works with it). */
export const DEFAULT_AZURE_ASR_API_VERSION = '2025-03-01-preview';
/** OpenAI's limit for one uploaded file. */
export const OPENAI_MAX_UPLOAD_BYTES = 25 * 1024 * 1024;

export const HOW_TO_CONFIGURE_ASR =
  'set OPENAI_API_KEY (and optionally SCRIBE_ASR_MODEL: gpt-4o-transcribe, gpt-4o-mini-transcribe or whisper-1), or SCRIBE_ASR_BASE_URL for an OpenAI-compatible transcription server, or AZURE_OPENAI_ENDPOINT, AZURE_OPENAI_API_KEY and AZURE_OPENAI_TRANSCRIPTION_DEPLOYMENT for Azure OpenAI';

const UploadBytes = z.coerce
  .number()
  .int()
  .min(64 * 1024)
  .max(OPENAI_MAX_UPLOAD_BYTES);

const CONNECTION: OpenAiConnectionSpec = {
  baseUrlVar: 'SCRIBE_ASR_BASE_URL',
  timeoutVar: 'SCRIBE_ASR_TIMEOUT_MS',
  defaultTimeoutMs: 120_000,
  retriesVar: 'SCRIBE_ASR_MAX_RETRIES',
  defaultRetries: 2,
  azure: {
    deploymentVar: 'AZURE_OPENAI_TRANSCRIPTION_DEPLOYMENT',
    apiVersionVar: 'SCRIBE_ASR_AZURE_API_VERSION',
    defaultApiVersion: DEFAULT_AZURE_ASR_API_VERSION,
    chosenBy: 'deployment',
    what: ' transcription',
  },
  notConfigured: `No transcription service is configured: ${HOW_TO_CONFIGURE_ASR}.`,
};

export function openAiAsrConfigFromEnv(env: NodeJS.ProcessEnv): OpenAiAsrConfigResult {
  const get = envReader(env);
  const upload = UploadBytes.safeParse(get('SCRIBE_ASR_MAX_UPLOAD_BYTES') ?? OPENAI_MAX_UPLOAD_BYTES);
  if (!upload.success)
    return { ok: false, problem: `SCRIBE_ASR_MAX_UPLOAD_BYTES must be a number of bytes from 65536 to ${OPENAI_MAX_UPLOAD_BYTES}.` };
  const connection = openAiConnectionFromEnv(env, CONNECTION);
  if (!connection.ok) return connection;
  return {
    ok: true,
    config: { ...connection.connection, model: get('SCRIBE_ASR_MODEL') ?? DEFAULT_ASR_MODEL, maxUploadBytes: upload.data },
  };
}

/** The address audio goes to, for the policy's allowed list and its audio-leaves-the-device rule. */
export function asrBaseUrl(config: OpenAiAsrConfig): string {
  return connectionBaseUrl(config);
}

/** For status and the record: which model, never a key or a URL. */
export function asrModelName(config: OpenAiAsrConfig): string {
  return connectionModelName(config, config.model);
}

/** gpt-4o transcription models answer text only (with token log-probabilities); whisper-style models give timed segments. */
export const answersWithSegments = (model: string) => !/^gpt-4o/i.test(model);

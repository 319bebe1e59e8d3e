import { z } from 'zod';

/**
 * Where cloud (or on-premises OpenAI-compatible) transcription goes: OpenAI itself, a compatible
 * server under the clinic's own agreement (SCRIBE_ASR_BASE_URL, e.g. a faster-whisper or vLLM
 * server), or an Azure OpenAI transcription deployment. Read from the environment at each run.
 */
export type OpenAiAsrConfig =
  | {
      readonly kind: 'openai';
      readonly apiKey: string;
      readonly baseURL: string;
      readonly model: string;
      readonly timeoutMs: number;
      readonly maxRetries: number;
      readonly maxUploadBytes: number;
    }
  | {
      readonly kind: 'azure';
      readonly endpoint: string;
      readonly apiKey: string;
      readonly deployment: string;
      readonly apiVersion: string;
      /** The model behind the deployment: decides the response format. */
      readonly model: string;
      readonly timeoutMs: number;
      readonly maxRetries: number;
      readonly maxUploadBytes: number;
    };

export type OpenAiAsrConfigResult = { readonly ok: true; readonly config: OpenAiAsrConfig } | { readonly ok: false; readonly problem: string };

export const DEFAULT_ASR_MODEL = 'gpt-4o-transcribe';
/** Azure serves gpt-4o-transcribe from this API version on (whisper also works with it). */
export const DEFAULT_AZURE_ASR_API_VERSION = '2025-03-01-preview';
/** OpenAI's limit for one uploaded file. */
export const OPENAI_MAX_UPLOAD_BYTES = 25 * 1024 * 1024;

export const HOW_TO_CONFIGURE_ASR =
  'set OPENAI_API_KEY (and optionally SCRIBE_ASR_MODEL: gpt-4o-transcribe, gpt-4o-mini-transcribe or whisper-1), or SCRIBE_ASR_BASE_URL for an OpenAI-compatible transcription server, or AZURE_OPENAI_ENDPOINT, AZURE_OPENAI_API_KEY and AZURE_OPENAI_TRANSCRIPTION_DEPLOYMENT for Azure OpenAI';

const Url = z.url({ protocol: /^https?$/ });
const PositiveInt = z.coerce.number().int().positive();
const Count = z.coerce.number().int().min(0).max(5);
const UploadBytes = z.coerce.number().int().min(64 * 1024).max(OPENAI_MAX_UPLOAD_BYTES);

export function openAiAsrConfigFromEnv(env: NodeJS.ProcessEnv): OpenAiAsrConfigResult {
  const get = (name: string) => {
    const value = env[name]?.trim();
    return value ? value : undefined;
  };
  const timeout = PositiveInt.safeParse(get('SCRIBE_ASR_TIMEOUT_MS') ?? 120_000);
  if (!timeout.success) return { ok: false, problem: 'SCRIBE_ASR_TIMEOUT_MS must be a whole number of milliseconds.' };
  const retries = Count.safeParse(get('SCRIBE_ASR_MAX_RETRIES') ?? 2);
  if (!retries.success) return { ok: false, problem: 'SCRIBE_ASR_MAX_RETRIES must be a whole number from 0 to 5.' };
  const upload = UploadBytes.safeParse(get('SCRIBE_ASR_MAX_UPLOAD_BYTES') ?? OPENAI_MAX_UPLOAD_BYTES);
  if (!upload.success) return { ok: false, problem: `SCRIBE_ASR_MAX_UPLOAD_BYTES must be a number of bytes from 65536 to ${OPENAI_MAX_UPLOAD_BYTES}.` };
  const common = { timeoutMs: timeout.data, maxRetries: retries.data, maxUploadBytes: upload.data, model: get('SCRIBE_ASR_MODEL') ?? DEFAULT_ASR_MODEL };

  const deployment = get('AZURE_OPENAI_TRANSCRIPTION_DEPLOYMENT');
  if (deployment) {
    const endpoint = get('AZURE_OPENAI_ENDPOINT');
    const apiKey = get('AZURE_OPENAI_API_KEY');
    if (!endpoint || !apiKey) return { ok: false, problem: 'Azure OpenAI transcription is half configured: set AZURE_OPENAI_ENDPOINT and AZURE_OPENAI_API_KEY.' };
    if (!Url.safeParse(endpoint).success) return { ok: false, problem: 'AZURE_OPENAI_ENDPOINT must be an http(s) URL.' };
    return {
      ok: true,
      config: { kind: 'azure', endpoint, apiKey, deployment, apiVersion: get('SCRIBE_ASR_AZURE_API_VERSION') ?? DEFAULT_AZURE_ASR_API_VERSION, ...common },
    };
  }

  const baseURL = get('SCRIBE_ASR_BASE_URL');
  const apiKey = get('OPENAI_API_KEY');
  if (!baseURL && !apiKey) return { ok: false, problem: `No transcription service is configured: ${HOW_TO_CONFIGURE_ASR}.` };
  if (baseURL && !Url.safeParse(baseURL).success) return { ok: false, problem: 'SCRIBE_ASR_BASE_URL must be an http(s) URL.' };
  // A local compatible server often takes no key; the SDK insists on one, so it gets a placeholder.
  return { ok: true, config: { kind: 'openai', apiKey: apiKey ?? 'no-key', baseURL: baseURL ?? 'https://api.openai.com/v1', ...common } };
}

/** The address audio goes to, for the policy's allowed list and its audio-leaves-the-device rule. */
export function asrBaseUrl(config: OpenAiAsrConfig): string {
  // The SDK calls {endpoint}/openai/deployments/{deployment}/audio/transcriptions.
  if (config.kind === 'azure') return `${config.endpoint.replace(/\/+$/, '')}/openai`;
  return config.baseURL;
}

/** For status and the record: which model, never a key or a URL. */
export function asrModelName(config: OpenAiAsrConfig): string {
  return config.kind === 'azure' ? `azure:${config.deployment}` : config.model;
}

/** gpt-4o transcription models answer text only (with token log-probabilities); whisper-style models give timed segments. */
export const answersWithSegments = (model: string) => !/^gpt-4o/i.test(model);

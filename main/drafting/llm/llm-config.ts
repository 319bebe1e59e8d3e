import type { OpenAiConnection, OpenAiConnectionSpec } from '../../openai/openai-connection-config.js';
import { connectionBaseUrl, connectionModelName, envReader, openAiConnectionFromEnv } from '../../openai/openai-connection-config.js';

/**
 * Where the language model lives. OpenAI itself, an OpenAI-compatible server under the clinic's own
 * agreement (SCRIBE_LLM_BASE_URL, e.g. an on-premises vLLM), or Azure OpenAI. The connection is read
 * as transcription reads its own (../../openai/openai-connection-config.ts); the model is drafting's.
 * Read once per drafting call from the environment the caller gives, so a changed setting needs no
 * restart.
 */
export type LlmConfig =
  (Extract<OpenAiConnection, { kind: 'openai' }> & { readonly model: string }) | Extract<OpenAiConnection, { kind: 'azure' }>;

export type LlmConfigResult = { readonly ok: true; readonly config: LlmConfig } | { readonly ok: false; readonly problem: string };

export const DEFAULT_MODEL = 'gpt-4o';
export const DEFAULT_AZURE_API_VERSION = '2024-10-21';

/** What to set, said once for every "not configured" message. */
export const HOW_TO_CONFIGURE =
  'set OPENAI_API_KEY (and optionally SCRIBE_LLM_MODEL, default gpt-4o), or SCRIBE_LLM_BASE_URL for an OpenAI-compatible server, or AZURE_OPENAI_ENDPOINT, AZURE_OPENAI_API_KEY and AZURE_OPENAI_DEPLOYMENT for Azure OpenAI';

const CONNECTION: OpenAiConnectionSpec = {
  baseUrlVar: 'SCRIBE_LLM_BASE_URL',
  timeoutVar: 'SCRIBE_LLM_TIMEOUT_MS',
  defaultTimeoutMs: 60_000,
  retriesVar: 'SCRIBE_LLM_MAX_RETRIES',
  defaultRetries: 1,
  azure: {
    deploymentVar: 'AZURE_OPENAI_DEPLOYMENT',
    apiVersionVar: 'OPENAI_API_VERSION',
    defaultApiVersion: DEFAULT_AZURE_API_VERSION,
    chosenBy: 'endpoint',
    what: '',
  },
  notConfigured: `No language model is configured: ${HOW_TO_CONFIGURE}.`,
};

export function llmConfigFromEnv(env: NodeJS.ProcessEnv): LlmConfigResult {
  const result = openAiConnectionFromEnv(env, CONNECTION);
  if (!result.ok) return result;
  const connection = result.connection;
  if (connection.kind === 'azure') return { ok: true, config: connection };
  return { ok: true, config: { ...connection, model: envReader(env)('SCRIBE_LLM_MODEL') ?? DEFAULT_MODEL } };
}

/** For logs and the note's drafter field: which model, never a key or a URL. */
export function modelName(config: LlmConfig): string {
  return connectionModelName(config, config.kind === 'openai' ? config.model : undefined);
}

/** The address requests go to, for the policy's list of allowed service addresses. */
export function llmBaseUrl(config: LlmConfig): string {
  return connectionBaseUrl(config);
}

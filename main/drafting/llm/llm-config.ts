import { z } from 'zod';

/**
 * Where the language model lives. OpenAI itself, an OpenAI-compatible server under the clinic's own
 * agreement (SCRIBE_LLM_BASE_URL, e.g. an on-premises vLLM), or Azure OpenAI. Read once per
 * drafting call from the environment the caller gives, so a changed setting needs no restart.
 */
export type LlmConfig =
  | {
      readonly kind: 'openai';
      readonly apiKey: string;
      readonly baseURL: string | undefined;
      readonly model: string;
      readonly timeoutMs: number;
      readonly maxRetries: number;
    }
  | {
      readonly kind: 'azure';
      readonly endpoint: string;
      readonly apiKey: string;
      readonly deployment: string;
      readonly apiVersion: string;
      readonly timeoutMs: number;
      readonly maxRetries: number;
    };

export type LlmConfigResult = { readonly ok: true; readonly config: LlmConfig } | { readonly ok: false; readonly problem: string };

export const DEFAULT_MODEL = 'gpt-4o';
export const DEFAULT_AZURE_API_VERSION = '2024-10-21';

/** What to set, said once for every "not configured" message. */
export const HOW_TO_CONFIGURE =
  'set OPENAI_API_KEY (and optionally SCRIBE_LLM_MODEL, default gpt-4o), or SCRIBE_LLM_BASE_URL for an OpenAI-compatible server, or AZURE_OPENAI_ENDPOINT, AZURE_OPENAI_API_KEY and AZURE_OPENAI_DEPLOYMENT for Azure OpenAI';

const Url = z.url({ protocol: /^https?$/ });
const PositiveInt = z.coerce.number().int().positive();
const Count = z.coerce.number().int().min(0).max(5);

export function llmConfigFromEnv(env: NodeJS.ProcessEnv): LlmConfigResult {
  const get = (name: string) => {
    const value = env[name]?.trim();
    return value ? value : undefined;
  };
  const timeout = PositiveInt.safeParse(get('SCRIBE_LLM_TIMEOUT_MS') ?? 60_000);
  if (!timeout.success) return { ok: false, problem: 'SCRIBE_LLM_TIMEOUT_MS must be a whole number of milliseconds.' };
  const retries = Count.safeParse(get('SCRIBE_LLM_MAX_RETRIES') ?? 1);
  if (!retries.success) return { ok: false, problem: 'SCRIBE_LLM_MAX_RETRIES must be a whole number from 0 to 5.' };
  const common = { timeoutMs: timeout.data, maxRetries: retries.data };

  const azureEndpoint = get('AZURE_OPENAI_ENDPOINT');
  if (azureEndpoint) {
    const missing = ['AZURE_OPENAI_API_KEY', 'AZURE_OPENAI_DEPLOYMENT'].filter((name) => !get(name));
    if (missing.length > 0) return { ok: false, problem: `Azure OpenAI is half configured: set ${missing.join(' and ')}.` };
    if (!Url.safeParse(azureEndpoint).success) return { ok: false, problem: 'AZURE_OPENAI_ENDPOINT must be an http(s) URL.' };
    return {
      ok: true,
      config: {
        kind: 'azure',
        endpoint: azureEndpoint,
        apiKey: get('AZURE_OPENAI_API_KEY')!,
        deployment: get('AZURE_OPENAI_DEPLOYMENT')!,
        apiVersion: get('OPENAI_API_VERSION') ?? DEFAULT_AZURE_API_VERSION,
        ...common,
      },
    };
  }

  const baseURL = get('SCRIBE_LLM_BASE_URL');
  const apiKey = get('OPENAI_API_KEY');
  if (!baseURL && !apiKey) return { ok: false, problem: `No language model is configured: ${HOW_TO_CONFIGURE}.` };
  if (baseURL && !Url.safeParse(baseURL).success) return { ok: false, problem: 'SCRIBE_LLM_BASE_URL must be an http(s) URL.' };
  return {
    ok: true,
    // A local OpenAI-compatible server often takes no key; the SDK insists on one, so it gets a placeholder.
    config: { kind: 'openai', apiKey: apiKey ?? 'no-key', baseURL, model: get('SCRIBE_LLM_MODEL') ?? DEFAULT_MODEL, ...common },
  };
}

/** For logs and the note's drafter field: which model, never a key or a URL. */
export function modelName(config: LlmConfig): string {
  return config.kind === 'azure' ? `azure:${config.deployment}` : config.model;
}

/** The address requests go to, for the policy's list of allowed service addresses. */
export function llmBaseUrl(config: LlmConfig): string {
  // The SDK calls {endpoint}/openai/deployments/{deployment}/…
  if (config.kind === 'azure') return `${config.endpoint.replace(/\/+$/, '')}/openai`;
  return config.baseURL ?? 'https://api.openai.com/v1';
}

import OpenAI, { AzureOpenAI } from 'openai';
import { z } from 'zod';

/**
 * How to reach an OpenAI-style service, shared by transcription and drafting: OpenAI itself, an
 * OpenAI-compatible server under the clinic's own agreement (e.g. an on-premises vLLM or
 * faster-whisper server), or an Azure OpenAI deployment; with a timeout and the SDK's retries.
 * Each engine names its own variables (SCRIBE_ASR_… / SCRIBE_LLM_…, its Azure deployment) and
 * adds its own options; OPENAI_API_KEY, AZURE_OPENAI_ENDPOINT and AZURE_OPENAI_API_KEY are common.
 */
export type OpenAiConnection =
  | {
      readonly kind: 'openai';
      readonly apiKey: string;
      /** Undefined means OpenAI itself. */
      readonly baseURL: string | undefined;
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

export type OpenAiConnectionResult =
  { readonly ok: true; readonly connection: OpenAiConnection } | { readonly ok: false; readonly problem: string };

/** The variables one engine reads, its defaults, and its words for "nothing is configured". */
export interface OpenAiConnectionSpec {
  readonly baseUrlVar: string;
  readonly timeoutVar: string;
  readonly defaultTimeoutMs: number;
  readonly retriesVar: string;
  readonly defaultRetries: number;
  readonly azure: {
    readonly deploymentVar: string;
    readonly apiVersionVar: string;
    readonly defaultApiVersion: string;
    /**
     * Which variable being set chooses Azure: the engine's own deployment (so Azure for one engine
     * does not pull the other along) or the shared endpoint.
     */
    readonly chosenBy: 'deployment' | 'endpoint';
    /** "Azure OpenAI" + this + " is half configured", e.g. " transcription". */
    readonly what: string;
  };
  /** The whole problem when neither a key, a base URL nor Azure is set. */
  readonly notConfigured: string;
}

export const OPENAI_BASE_URL = 'https://api.openai.com/v1';
const AZURE_ENDPOINT_VAR = 'AZURE_OPENAI_ENDPOINT';
const AZURE_KEY_VAR = 'AZURE_OPENAI_API_KEY';

const Url = z.url({ protocol: /^https?$/ });
const PositiveInt = z.coerce.number().int().positive();
const Count = z.coerce.number().int().min(0).max(5);

/** A variable's trimmed value; empty counts as unset. */
export function envReader(env: NodeJS.ProcessEnv): (name: string) => string | undefined {
  return (name) => {
    const value = env[name]?.trim();
    return value ? value : undefined;
  };
}

export function openAiConnectionFromEnv(env: NodeJS.ProcessEnv, spec: OpenAiConnectionSpec): OpenAiConnectionResult {
  const get = envReader(env);
  const timeout = PositiveInt.safeParse(get(spec.timeoutVar) ?? spec.defaultTimeoutMs);
  if (!timeout.success) return { ok: false, problem: `${spec.timeoutVar} must be a whole number of milliseconds.` };
  const retries = Count.safeParse(get(spec.retriesVar) ?? spec.defaultRetries);
  if (!retries.success) return { ok: false, problem: `${spec.retriesVar} must be a whole number from 0 to 5.` };
  const common = { timeoutMs: timeout.data, maxRetries: retries.data };

  const azure = spec.azure;
  if (get(azure.chosenBy === 'deployment' ? azure.deploymentVar : AZURE_ENDPOINT_VAR)) {
    const missing = [AZURE_ENDPOINT_VAR, AZURE_KEY_VAR, azure.deploymentVar].filter((name) => !get(name));
    if (missing.length > 0) return { ok: false, problem: `Azure OpenAI${azure.what} is half configured: set ${missing.join(' and ')}.` };
    const endpoint = get(AZURE_ENDPOINT_VAR)!;
    if (!Url.safeParse(endpoint).success) return { ok: false, problem: `${AZURE_ENDPOINT_VAR} must be an http(s) URL.` };
    return {
      ok: true,
      connection: {
        kind: 'azure',
        endpoint,
        apiKey: get(AZURE_KEY_VAR)!,
        deployment: get(azure.deploymentVar)!,
        apiVersion: get(azure.apiVersionVar) ?? azure.defaultApiVersion,
        ...common,
      },
    };
  }

  const baseURL = get(spec.baseUrlVar);
  const apiKey = get('OPENAI_API_KEY');
  if (!baseURL && !apiKey) return { ok: false, problem: spec.notConfigured };
  if (baseURL && !Url.safeParse(baseURL).success) return { ok: false, problem: `${spec.baseUrlVar} must be an http(s) URL.` };
  // A local compatible server often takes no key; the SDK insists on one, so it gets a placeholder.
  return { ok: true, connection: { kind: 'openai', apiKey: apiKey ?? 'no-key', baseURL, ...common } };
}

/** The address requests go to, for the policy's list of allowed addresses and its audio-leaves-the-device rule. */
export function connectionBaseUrl(connection: OpenAiConnection): string {
  // The SDK calls {endpoint}/openai/deployments/{deployment}/…
  if (connection.kind === 'azure') return `${connection.endpoint.replace(/\/+$/, '')}/openai`;
  return connection.baseURL ?? OPENAI_BASE_URL;
}

/** For status, logs and the record: which model, never a key or a URL. */
export function connectionModelName(connection: OpenAiConnection, model: string | undefined): string {
  return connection.kind === 'azure' ? `azure:${connection.deployment}` : (model ?? 'unknown');
}

export function createOpenAiClient(connection: OpenAiConnection): OpenAI {
  // Every option explicit, so the SDK never falls back to process.env on its own.
  const common = {
    apiKey: connection.apiKey,
    timeout: connection.timeoutMs,
    maxRetries: connection.maxRetries,
    organization: null,
    project: null,
  };
  if (connection.kind === 'azure') {
    return new AzureOpenAI({
      ...common,
      endpoint: connection.endpoint,
      deployment: connection.deployment,
      apiVersion: connection.apiVersion,
    });
  }
  return new OpenAI({ ...common, baseURL: connection.baseURL ?? OPENAI_BASE_URL });
}

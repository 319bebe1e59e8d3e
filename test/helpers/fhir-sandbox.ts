import type { Resource } from '@medplum/fhirtypes';
import type { LogFields, Logger } from '../../main/log/logger.js';
import type { Sandbox, SandboxOptions } from '../../main/sandbox/sandbox.js';
import { startSandbox } from '../../main/sandbox/sandbox.js';
import { generateClientKeyPair } from '../../main/fhir/client-key.js';
import type { ClientKeyPair } from '../../main/fhir/client-key.js';
import { FhirDeliverer } from '../../main/writeback/fhir/fhir-deliverer.js';
import type { FhirTargetConfigInput } from '../../main/fhir/fhir-target-config.js';
import { createBackendTokenSource } from '../../main/fhir/smart-backend-auth.js';

export const TEST_CLIENT_ID = 'test-backend';

/** Everything logged, as JSON lines, so tests can assert what never appears in logs. */
export function recordingLogger(): Logger & { readonly lines: string[] } {
  const lines: string[] = [];
  const write =
    (level: string) =>
    (event: string, fields: LogFields = {}) =>
      lines.push(JSON.stringify({ level, event, ...fields }));
  return { lines, info: write('info'), warn: write('warn'), error: write('error') };
}

export interface FhirSandboxFixture {
  readonly sandbox: Sandbox;
  readonly key: ClientKeyPair;
  readonly logger: ReturnType<typeof recordingLogger>;
  config(overrides?: Partial<FhirTargetConfigInput>): FhirTargetConfigInput;
  deliverer(overrides?: Partial<FhirTargetConfigInput>, fetchImpl?: typeof fetch): FhirDeliverer;
  /** A FHIR GET with a backend token (system/*.read), for reading back what was delivered. */
  get<T = Resource>(path: string): Promise<T>;
  /** Every resource of `type` matching `query`. */
  search<T extends Resource>(type: T['resourceType'], query: string): Promise<T[]>;
  /** One raw FHIR request with a backend token of `scope` (default system/*.write system/*.read); a JSON body is sent as FHIR JSON. */
  request(method: string, path: string, options?: FhirRequestOptions): Promise<FhirAnswer>;
  close(): Promise<void>;
}

export interface FhirRequestOptions {
  readonly body?: unknown;
  readonly headers?: Record<string, string>;
  readonly scope?: string;
}

export interface FhirAnswer {
  readonly status: number;
  readonly headers: Headers;
  /** The body as text ('' when empty). */
  readonly text: string;
  /** The body parsed as JSON; undefined when empty. */
  readonly json: Record<string, unknown> | undefined;
}

/**
 * A sandbox on a free loopback port with one backend client whose key pair the test holds;
 * `profile` (and every other option) goes to startSandbox as given.
 */
export async function startFhirSandbox(options: SandboxOptions = {}): Promise<FhirSandboxFixture> {
  const key = await generateClientKeyPair('ES384');
  const logger = recordingLogger();
  const sandbox = await startSandbox({ port: 0, backendClients: [{ clientId: TEST_CLIENT_ID, jwks: key.publicJwks }], logger, ...options });
  const config = (overrides: Partial<FhirTargetConfigInput> = {}): FhirTargetConfigInput => ({
    baseUrl: sandbox.fhirBaseUrl,
    clientId: TEST_CLIENT_ID,
    privateKey: key.privateKey,
    signingAlg: 'ES384',
    requestTimeoutMs: 5_000,
    ...overrides,
  });
  const reader = createBackendTokenSource({ ...config(), scope: 'system/*.read', signingAlg: 'ES384', requestTimeoutMs: 5_000 });
  const tokens = new Map<string, ReturnType<typeof createBackendTokenSource>>();
  const tokenFor = (scope: string) => {
    let source = tokens.get(scope);
    if (!source) {
      source = createBackendTokenSource({ ...config(), scope, signingAlg: 'ES384', requestTimeoutMs: 5_000 });
      tokens.set(scope, source);
    }
    return source.token();
  };
  const request = async (method: string, path: string, o: FhirRequestOptions = {}): Promise<FhirAnswer> => {
    const response = await fetch(`${sandbox.fhirBaseUrl}${path ? `/${path}` : ''}`, {
      method,
      headers: {
        accept: 'application/fhir+json',
        authorization: `Bearer ${await tokenFor(o.scope ?? 'system/*.write system/*.read')}`,
        ...(o.body === undefined ? {} : { 'content-type': 'application/fhir+json' }),
        ...o.headers,
      },
      ...(o.body === undefined ? {} : { body: typeof o.body === 'string' ? o.body : JSON.stringify(o.body) }),
    });
    const text = await response.text();
    return {
      status: response.status,
      headers: response.headers,
      text,
      json: text ? (JSON.parse(text) as Record<string, unknown>) : undefined,
    };
  };
  const get = async <T>(path: string): Promise<T> => {
    const response = await fetch(`${sandbox.fhirBaseUrl}/${path}`, {
      headers: { authorization: `Bearer ${await reader.token()}`, accept: 'application/fhir+json' },
    });
    if (!response.ok) throw new Error(`GET ${path.split('?')[0]} -> ${response.status}`);
    return (await response.json()) as T;
  };
  return {
    sandbox,
    key,
    logger,
    config,
    deliverer: (overrides = {}, fetchImpl) =>
      new FhirDeliverer({ config: config(overrides), logger, ...(fetchImpl ? { fetch: fetchImpl } : {}) }),
    get,
    async search<T extends Resource>(type: T['resourceType'], query: string) {
      const bundle = await get<{ entry?: { resource: T }[] }>(`${type}?${query}`);
      return (bundle.entry ?? []).map((e) => e.resource);
    },
    request,
    close: () => sandbox.close(),
  };
}

/** A port nothing listens on (bound, then released). */
export async function closedPort(): Promise<number> {
  const { createServer } = await import('node:net');
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

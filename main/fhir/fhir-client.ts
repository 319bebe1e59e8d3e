import type { Bundle, CapabilityStatement, Resource } from '@medplum/fhirtypes';
import { classifyHttpFailure, classifyNetworkError, FhirDeliveryError } from './fhir-errors.js';
import type { BackendTokenSource } from './smart-backend-auth.js';

/**
 * The FHIR REST calls write-back makes, authenticated with a backend token. A 401 drops the token
 * and the call is made once more with a fresh one; anything else that is not a success becomes a
 * classified FhirDeliveryError. No URL, body or header value is ever put in a log or an error message.
 */
export interface ServerCapabilities {
  readonly fhirVersion: string;
  readonly transactions: boolean;
  conditionalCreate(resourceType: string): boolean;
}

export interface FhirResult<T extends Resource = Resource> {
  readonly status: number;
  readonly resource: T;
}

export interface FhirClient {
  capabilities(signal: AbortSignal): Promise<ServerCapabilities>;
  transaction(bundle: Bundle, signal: AbortSignal): Promise<Bundle>;
  /** POST, conditional on `ifNoneExist` when given: 201 created, 200 an existing match. */
  create<T extends Resource>(resource: T, ifNoneExist: string | undefined, signal: AbortSignal): Promise<FhirResult<T>>;
  read<T extends Resource>(resourceType: T['resourceType'], id: string, signal: AbortSignal): Promise<T>;
  search(resourceType: string, query: string, signal: AbortSignal): Promise<Resource[]>;
}

export interface FhirClientOptions {
  readonly baseUrl: string;
  readonly tokens: BackendTokenSource;
  readonly requestTimeoutMs: number;
  readonly capabilityTtlMs: number;
  readonly fetch?: typeof fetch;
  readonly now?: () => number;
}

const FHIR_JSON = 'application/fhir+json';

function parseCapabilities(body: unknown): ServerCapabilities {
  const cs = body as CapabilityStatement | undefined;
  if (cs?.resourceType !== 'CapabilityStatement')
    throw new FhirDeliveryError('retry', 'bad_response', 'The EHR sent something other than a CapabilityStatement from /metadata.');
  const fhirVersion = cs.fhirVersion ?? '';
  if (!fhirVersion.startsWith('4.0'))
    throw new FhirDeliveryError(
      'failed',
      'unsupported_fhir_version',
      `The EHR speaks FHIR ${fhirVersion || '(unknown)'}; write-back needs FHIR R4 (4.0.x).`,
    );
  const server = (cs.rest ?? []).find((r) => r.mode === 'server');
  const transactions = (server?.interaction ?? []).some((i) => i.code === 'transaction');
  const resources = new Map((server?.resource ?? []).map((r) => [r.type, r]));
  return {
    fhirVersion,
    transactions,
    // A server that lists a type but not conditionalCreate is taken at its word; an unlisted type is assumed to support it.
    conditionalCreate: (type) => resources.get(type as never)?.conditionalCreate ?? !resources.has(type as never),
  };
}

export function createFhirClient(o: FhirClientOptions): FhirClient {
  const doFetch = o.fetch ?? fetch;
  const now = o.now ?? Date.now;
  let capabilities: { value: ServerCapabilities; at: number } | undefined;

  const send = async (
    method: string,
    path: string,
    what: string,
    signal: AbortSignal,
    body?: unknown,
    headers: Record<string, string> = {},
  ) => {
    for (let attempt = 0; ; attempt += 1) {
      const token = await o.tokens.token(signal);
      let response: Response;
      try {
        response = await doFetch(`${o.baseUrl}/${path}`, {
          method,
          headers: {
            accept: FHIR_JSON,
            authorization: `Bearer ${token}`,
            ...(body === undefined ? {} : { 'content-type': `${FHIR_JSON}; charset=utf-8` }),
            ...headers,
          },
          ...(body === undefined ? {} : { body: JSON.stringify(body) }),
          signal: AbortSignal.any([signal, AbortSignal.timeout(o.requestTimeoutMs)]),
        });
      } catch (error) {
        throw classifyNetworkError(error, signal, what);
      }
      let parsed: unknown;
      try {
        const text = await response.text();
        parsed = text ? JSON.parse(text) : undefined;
      } catch (error) {
        if (!response.ok) parsed = undefined;
        else if (error instanceof SyntaxError)
          throw new FhirDeliveryError('retry', 'bad_response', `The EHR's answer to the ${what} could not be read; it will be resent.`, {
            status: response.status,
          });
        else throw classifyNetworkError(error, signal, what);
      }
      if (response.status === 401) {
        o.tokens.invalidate(token);
        if (attempt === 0) continue;
        throw new FhirDeliveryError(
          'failed',
          'unauthorized',
          `The EHR turned down a freshly issued access token for the ${what} (HTTP 401). Check this workstation's registration with the EHR.`,
          { status: 401 },
        );
      }
      if (!response.ok) throw classifyHttpFailure(response.status, parsed, response.headers.get('retry-after'), what);
      return { status: response.status, body: parsed };
    }
  };

  const asResource = <T extends Resource>(body: unknown, type: string, what: string): T => {
    const resource = body as T | undefined;
    if (resource?.resourceType !== type)
      throw new FhirDeliveryError('retry', 'bad_response', `The EHR's answer to the ${what} was not a ${type}; it will be resent.`);
    return resource;
  };

  return {
    async capabilities(signal) {
      if (capabilities && now() - capabilities.at < o.capabilityTtlMs) return capabilities.value;
      const { body } = await send('GET', 'metadata', 'capability request', signal);
      capabilities = { value: parseCapabilities(body), at: now() };
      return capabilities.value;
    },
    async transaction(bundle, signal) {
      const { body } = await send('POST', '', 'note transaction', signal, bundle);
      const result = asResource<Bundle>(body, 'Bundle', 'note transaction');
      if (result.type !== 'transaction-response')
        throw new FhirDeliveryError(
          'retry',
          'bad_response',
          'The EHR answered the transaction with something other than a transaction-response; it will be resent.',
        );
      return result;
    },
    async create(resource, ifNoneExist, signal) {
      const what = `${resource.resourceType} create`;
      const { status, body } = await send(
        'POST',
        resource.resourceType,
        what,
        signal,
        resource,
        ifNoneExist ? { 'if-none-exist': ifNoneExist } : {},
      );
      return { status, resource: asResource(body, resource.resourceType, what) };
    },
    async read<T extends Resource>(resourceType: T['resourceType'], id: string, signal: AbortSignal): Promise<T> {
      const { body } = await send('GET', `${resourceType}/${encodeURIComponent(id)}`, `${resourceType} read`, signal);
      return asResource<T>(body, resourceType, `${resourceType} read`);
    },
    async search(resourceType, query, signal) {
      const { body } = await send('GET', `${resourceType}?${query}`, `${resourceType} search`, signal);
      const bundle = asResource<Bundle>(body, 'Bundle', `${resourceType} search`);
      return (bundle.entry ?? []).map((e) => e.resource).filter((r): r is Resource => r?.resourceType === resourceType);
    },
  };
}

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
  /** Whether the server offers `create` for the type (a type it does not list is not offered). */
  creates(resourceType: string): boolean;
  /** Whether the server lists `name` among the type's search parameters (only those are honoured for sure). */
  searches(resourceType: string, name: string): boolean;
}

export interface FhirResult<T extends Resource = Resource> {
  readonly status: number;
  readonly resource: T;
  readonly location?: string | undefined;
}

/** `Type/id` (optionally `/_history/version`) at the end of a Location header or a reference, absolute or relative. */
export function parseLocation(location: string | undefined): { type: string; id: string; versionId: string | undefined } | undefined {
  const m = /(?:^|\/)([A-Z][A-Za-z]+)\/([A-Za-z0-9\-.]{1,64})(?:\/_history\/([A-Za-z0-9\-.]{1,64}))?$/.exec(location ?? '');
  return m ? { type: m[1]!, id: m[2]!, versionId: m[3] } : undefined;
}

export interface FhirClient {
  capabilities(signal: AbortSignal): Promise<ServerCapabilities>;
  transaction(bundle: Bundle, signal: AbortSignal): Promise<Bundle>;
  /** POST, conditional on `ifNoneExist` when given: 201 created, 200 an existing match. */
  create<T extends Resource>(resource: T, ifNoneExist: string | undefined, signal: AbortSignal): Promise<FhirResult<T>>;
  read<T extends Resource>(resourceType: T['resourceType'], id: string, signal: AbortSignal): Promise<T>;
  /** `strict`: Prefer: handling=strict, asking the server to refuse parameters it does not support rather than ignore them. */
  search(resourceType: string, query: string, signal: AbortSignal, options?: { readonly strict?: boolean }): Promise<Resource[]>;
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
  const resources = new Map((server?.resource ?? []).map((r) => [r.type as string, r]));
  // A server that lists no resources at all says nothing either way: it is taken to offer everything.
  const listsNothing = resources.size === 0;
  return {
    fhirVersion,
    transactions,
    conditionalCreate: (type) => (listsNothing ? true : resources.get(type)?.conditionalCreate === true),
    creates: (type) => listsNothing || (resources.get(type)?.interaction ?? []).some((i) => i.code === 'create'),
    searches: (type, name) => (resources.get(type)?.searchParam ?? []).some((p) => p.name === name),
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
      return { status: response.status, body: parsed, location: response.headers.get('location') ?? undefined };
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
      const { status, body, location } = await send('POST', resource.resourceType, what, signal, resource, {
        prefer: 'return=representation',
        ...(ifNoneExist ? { 'if-none-exist': ifNoneExist } : {}),
      });
      if (body !== undefined) return { status, resource: asResource(body, resource.resourceType, what), location };
      // Some EHRs answer 201 with an empty body whatever Prefer asks: what they stored is read back from Location.
      const placed = parseLocation(location);
      const id = placed?.type === resource.resourceType ? placed.id : undefined;
      if (!id)
        throw new FhirDeliveryError('unknown', 'no_location', `The EHR accepted the ${what} without saying where it stored it.`, {
          status,
        });
      const stored = await send('GET', `${resource.resourceType}/${encodeURIComponent(id)}`, `${resource.resourceType} read`, signal);
      return { status, resource: asResource(stored.body, resource.resourceType, `${resource.resourceType} read`), location };
    },
    async read<T extends Resource>(resourceType: T['resourceType'], id: string, signal: AbortSignal): Promise<T> {
      const { body } = await send('GET', `${resourceType}/${encodeURIComponent(id)}`, `${resourceType} read`, signal);
      return asResource<T>(body, resourceType, `${resourceType} read`);
    },
    async search(resourceType, query, signal, options = {}) {
      const headers: Record<string, string> = options.strict ? { prefer: 'handling=strict' } : {};
      const { body } = await send('GET', `${resourceType}?${query}`, `${resourceType} search`, signal, undefined, headers);
      const bundle = asResource<Bundle>(body, 'Bundle', `${resourceType} search`);
      return (bundle.entry ?? []).map((e) => e.resource).filter((r): r is Resource => r?.resourceType === resourceType);
    },
  };
}

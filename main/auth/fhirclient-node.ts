import { IncomingMessage, ServerResponse } from 'node:http';
import { createRequire } from 'node:module';
import { Socket } from 'node:net';

/**
 * fhirclient's Node entry (`smart(req, res, storage)`), typed here with just what sign-in uses.
 * Its own declarations reference TypeScript's DOM library, which would put `window` and `document`
 * into the main process's type checking, so they are not imported.
 */
export interface FhirclientStorage {
  get(key: string): Promise<unknown>;
  set(key: string, value: unknown): Promise<unknown>;
  unset(key: string): Promise<boolean>;
}

export interface FhirclientTokenResponse {
  readonly access_token?: string;
  readonly refresh_token?: string;
  readonly id_token?: string;
  readonly token_type?: string;
  readonly scope?: string;
  readonly expires_in?: number;
  readonly patient?: string;
  readonly encounter?: string;
  readonly [name: string]: unknown;
}

/** What fhirclient keeps per sign-in (in our storage): endpoints, PKCE values, then the token response. */
export interface FhirclientState {
  readonly serverUrl: string;
  readonly clientId?: string;
  readonly redirectUri?: string;
  readonly scope?: string;
  readonly authorizeUri?: string;
  readonly tokenUri?: string;
  readonly codeChallenge?: string;
  readonly codeVerifier?: string;
  readonly key?: string;
  /** Seconds since the epoch. */
  readonly expiresAt?: number;
  readonly tokenResponse?: FhirclientTokenResponse;
}

export interface FhirclientClient {
  readonly state: FhirclientState;
  /** One refresh at a time per client (fhirclient shares a pending refresh between callers). */
  refresh(requestOptions?: { readonly signal?: AbortSignal }): Promise<FhirclientState>;
}

export interface FhirclientAuthorizeParams {
  readonly iss: string;
  readonly launch?: string;
  readonly clientId: string;
  readonly scope: string;
  readonly redirectUri: string;
  readonly stateKey: string;
  readonly pkceMode: 'required';
  readonly noRedirect: true;
}

export interface FhirclientSmart {
  /** The adapter's options, shared with every client it makes. */
  readonly options: Record<string, unknown>;
  authorize(params: FhirclientAuthorizeParams): Promise<unknown>;
  ready(options: { readonly stateKey: string; readonly code: string }): Promise<FhirclientClient>;
}

type SmartFactory = (request: IncomingMessage, response: ServerResponse, storage: FhirclientStorage) => FhirclientSmart;

const smart = createRequire(import.meta.url)('fhirclient') as SmartFactory;

/**
 * fhirclient reads its request's URL and lets query parameters override what it is told (iss,
 * launch, clientId, patientId, even fhirServiceUrl, which skips authorization). So it never sees a
 * request from outside: it gets an empty request on our loopback origin, and every value it needs
 * is passed in after we checked it.
 */
export function fhirclientFor(origin: string, storage: FhirclientStorage): FhirclientSmart {
  const request = new IncomingMessage(new Socket());
  request.url = '/';
  request.headers = { host: new URL(origin).host };
  const api = smart(request, new ServerResponse(request), storage);
  // We are a public client (RFC 8252 §8.4): the refresh request must name us, which fhirclient does only when told.
  api.options['refreshTokenWithClientId'] = true;
  return api;
}

import { randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { JWK } from 'jose';
import { exportJWK, generateKeyPair } from 'jose';
import type { InteractionDetails, Provider as OidcProvider } from 'oidc-provider';
import type { Logger } from '../log/logger.js';
import { escapeHtml, readBody } from './http-util.js';
import { createOidcMemoryStore } from './oidc-memory-adapter.js';
import { allResourceScopes } from './smart-scopes.js';

/**
 * The sandbox's SMART authorization server: oidc-provider configured for SMART Backend Services
 * (client_credentials with a private_key_jwt client assertion, the client's public keys registered
 * here) and for clinician sign-in (authorization code with PKCE, standalone launch, a login page
 * that picks a seeded practitioner and, for launch/patient, a patient, or cancels). EHR launch too:
 * `createLaunch` stands in for the EHR opening an app from a chart; the app's authorization request
 * carries that `launch` id and its token response the launch's patient and encounter.
 */
export interface BackendClientRegistration {
  readonly clientId: string;
  /** The client's public keys; its private key never comes near the sandbox. */
  readonly jwks: { readonly keys: readonly JWK[] };
  /** Scopes the client may ask for; default all system scopes. */
  readonly scope?: string;
}

export interface ClinicianClientRegistration {
  readonly clientId: string;
  /** Loopback redirect URIs match on any port (RFC 8252), so a desktop app's ephemeral port works. */
  readonly redirectUris: readonly string[];
}

export interface SmartAuthOptions {
  readonly issuer: string;
  readonly fhirBaseUrl: string;
  readonly backendClients: readonly BackendClientRegistration[];
  readonly clinicianClient: ClinicianClientRegistration;
  readonly accessTokenTtlSeconds: number;
  readonly practitioners: readonly { readonly id: string; readonly display: string }[];
  /** Staff who are not practitioners (scribes): their fhirUser is a Person, so the app makes them scribes. */
  readonly scribes?: readonly { readonly id: string; readonly display: string }[];
  readonly patients: readonly { readonly id: string; readonly display: string }[];
  readonly logger: Logger;
}

export interface VerifiedToken {
  readonly kind: 'backend' | 'user';
  readonly clientId: string;
  readonly scopes: ReadonlySet<string>;
  readonly practitionerId?: string | undefined;
  readonly patientId?: string | undefined;
}

/** The chart an EHR launch opens the app in. */
export interface LaunchContext {
  readonly patient: string;
  readonly encounter?: string | undefined;
}

export interface SmartAuthUrls {
  readonly issuer: string;
  readonly authorize: string;
  readonly token: string;
  readonly jwks: string;
  readonly smartConfiguration: string;
}

export interface SmartAuth {
  readonly urls: SmartAuthUrls;
  /** Handles a request whose path starts with the issuer's path (/auth). */
  handle(req: IncomingMessage, res: ServerResponse): void;
  /** The token's grant if it is live and meant for this FHIR server; undefined otherwise. */
  verify(accessToken: string): Promise<VerifiedToken | undefined>;
  smartConfiguration(): Record<string, unknown>;
  /** Forgets every issued access token (fault injection): their next use gets 401. */
  expireTokens(): number;
  /** An EHR launch: the opaque `launch` id an app receives with `iss` (valid 10 minutes). */
  createLaunch(context: LaunchContext): string;
}

/** A string request parameter from oidc-provider's interaction details, or ''. */
const param = (details: InteractionDetails, name: string): string => {
  const value = details.params[name];
  return typeof value === 'string' ? value : '';
};

const OIDC_SCOPES = ['openid', 'fhirUser', 'profile', 'offline_access', 'launch', 'launch/patient', 'launch/encounter'];
const LAUNCH_TTL_MS = 10 * 60_000;
const SIGNING_ALGS = ['RS384', 'ES384', 'RS256', 'ES256'];

/**
 * oidc-provider warns at import time that it wants Node 22 (Electron's runtime); the sandbox and its
 * tests run it on Node 20, where everything the sandbox uses works. Only that one line is dropped.
 */
async function importOidcProvider(): Promise<typeof OidcProvider> {
  /* eslint-disable no-console */
  const warn = console.warn;
  console.warn = (...args: unknown[]) => {
    if (typeof args[0] === 'string' && args[0].includes('oidc-provider WARNING: Unsupported runtime')) return;
    warn(...args);
  };
  try {
    return (await import('oidc-provider')).default;
  } finally {
    console.warn = warn;
  }
  /* eslint-enable no-console */
}

export async function createSmartAuth(options: SmartAuthOptions): Promise<SmartAuth> {
  const Provider = await importOidcProvider();
  const { issuer, fhirBaseUrl, logger } = options;
  const issuerPath = new URL(issuer).pathname.replace(/\/$/, '');
  const store = createOidcMemoryStore();
  const resourceScopes = allResourceScopes();
  /** The patient (and, for an EHR launch, encounter) each grant was given: returned with its tokens. */
  const contextByGrant = new Map<string, LaunchContext>();
  const launches = new Map<string, LaunchContext & { readonly expiresAt: number }>();
  /** undefined: no launch asked for; null: a launch id the sandbox never issued or that expired. */
  const launchOf = (details: InteractionDetails): LaunchContext | null | undefined => {
    const id = param(details, 'launch');
    if (!id) return undefined;
    const launch = launches.get(id);
    return launch && launch.expiresAt > Date.now() ? launch : null;
  };
  const { privateKey } = await generateKeyPair('RS256', { extractable: true });
  const idTokenKey = { ...(await exportJWK(privateKey)), kid: `sandbox-${randomBytes(4).toString('hex')}`, alg: 'RS256', use: 'sig' };
  const ttl = options.accessTokenTtlSeconds;

  const provider = new Provider(issuer, {
    adapter: (model: string) => store.adapterFor(model),
    jwks: { keys: [idTokenKey] },
    clients: [
      ...options.backendClients.map((c) => ({
        client_id: c.clientId,
        token_endpoint_auth_method: 'private_key_jwt',
        jwks: { keys: c.jwks.keys },
        grant_types: ['client_credentials'],
        response_types: [],
        redirect_uris: [],
        scope: c.scope ?? resourceScopes.filter((s) => s.startsWith('system/')).join(' '),
      })),
      {
        client_id: options.clinicianClient.clientId,
        application_type: 'native',
        token_endpoint_auth_method: 'none',
        grant_types: ['authorization_code', 'refresh_token'],
        response_types: ['code'],
        redirect_uris: [...options.clinicianClient.redirectUris],
      },
    ],
    scopes: [...OIDC_SCOPES, ...resourceScopes],
    claims: { openid: ['sub'], fhirUser: ['fhirUser'], profile: ['name'] },
    findAccount: (_ctx: unknown, sub: string) => {
      const practitioner = options.practitioners.find((p) => p.id === sub);
      const scribe = options.scribes?.find((p) => p.id === sub);
      const user = practitioner ?? scribe;
      if (!user) return undefined;
      const fhirUser = `${fhirBaseUrl}/${practitioner ? 'Practitioner' : 'Person'}/${sub}`;
      return { accountId: sub, claims: () => ({ sub, fhirUser, name: user.display }) };
    },
    features: {
      devInteractions: { enabled: false },
      clientCredentials: { enabled: true },
      revocation: { enabled: true },
      introspection: { enabled: true },
      resourceIndicators: {
        enabled: true,
        defaultResource: () => fhirBaseUrl,
        useGrantedResource: () => true,
        getResourceServerInfo: (_ctx: unknown, indicator: string) => {
          if (indicator !== fhirBaseUrl) throw new Error('unknown resource');
          return { scope: resourceScopes.join(' '), audience: fhirBaseUrl, accessTokenFormat: 'opaque', accessTokenTTL: ttl };
        },
      },
    },
    enabledJWA: { clientAuthSigningAlgValues: SIGNING_ALGS },
    // SMART's EHR launch passes the EHR's launch id on the authorization request.
    extraParams: ['launch'],
    pkce: { required: () => true },
    issueRefreshToken: (_ctx: unknown, client: { grantTypeAllowed(t: string): boolean }, code: { scopes: Set<string> }) =>
      client.grantTypeAllowed('refresh_token') && code.scopes.has('offline_access'),
    interactions: { url: (_ctx: unknown, interaction: { uid: string }) => `${issuerPath}/interaction/${interaction.uid}` },
    cookies: { keys: [randomBytes(32).toString('hex')] },
    ttl: {
      AccessToken: ttl,
      ClientCredentials: ttl,
      AuthorizationCode: 60,
      IdToken: 3600,
      Interaction: 600,
      Session: 3600,
      Grant: 3600,
      RefreshToken: 8 * 3600,
    },
    renderError: (ctx: { type: string; body: string }, out: Record<string, string>) => {
      ctx.type = 'html';
      ctx.body = `<!doctype html><title>Sandbox sign-in error</title><p>${escapeHtml(out['error'] ?? 'error')}: ${escapeHtml(out['error_description'] ?? '')}</p>`;
    },
  });

  // SMART asks for `aud`; oidc-provider's resource indicators use `resource`. Same meaning here.
  provider.use(async (ctx, next) => {
    await next();
    const oidc = ctx.oidc;
    const body = ctx.body as Record<string, unknown> | undefined;
    if (oidc?.route !== 'token' || ctx.status !== 200 || !body || typeof body['access_token'] !== 'string') return;
    const grantId = oidc.entities['AuthorizationCode']?.grantId ?? oidc.entities['RefreshToken']?.grantId;
    // SMART: the token response's scope lists everything granted (openid, fhirUser, launch, offline_access
    // too); oidc-provider lists only the resource's scopes there. Clients decide on it whether they may refresh.
    const grant = oidc.entities['Grant'] as { getOIDCScope?: () => string } | undefined;
    const granted = [
      ...(grant?.getOIDCScope?.() ?? '').split(' '),
      ...(typeof body['scope'] === 'string' ? body['scope'].split(' ') : []),
    ].filter(Boolean);
    if (granted.length > 0) body['scope'] = [...new Set(granted)].join(' ');
    const context = grantId ? contextByGrant.get(grantId) : undefined;
    if (context?.patient) body['patient'] = context.patient;
    if (context?.encounter) body['encounter'] = context.encounter;
  });
  provider.on('server_error', () => logger.error('sandbox.auth.server_error'));
  // Which grants were served, never the tokens: lets tests count token requests (e.g. one refresh shared).
  provider.on('grant.success', (ctx: unknown) => {
    const grantType = (ctx as { oidc?: { params?: { grant_type?: unknown } } }).oidc?.params?.grant_type;
    logger.info('sandbox.auth.token_issued', { grantType: typeof grantType === 'string' ? grantType : 'unknown' });
  });

  const urls: SmartAuthUrls = {
    issuer,
    authorize: `${issuer}/auth`,
    token: `${issuer}/token`,
    jwks: `${issuer}/jwks`,
    smartConfiguration: `${fhirBaseUrl}/.well-known/smart-configuration`,
  };
  const oidcCallback = provider.callback();

  const finishConsent = async (req: IncomingMessage, res: ServerResponse, details: InteractionDetails) => {
    const accountId = details.session?.accountId;
    const clientId = param(details, 'client_id');
    if (!accountId) throw new Error('consent without login');
    const grant = (details.grantId ? await provider.Grant.find(details.grantId) : undefined) ?? new provider.Grant({ accountId, clientId });
    const missing = details.prompt.details as {
      missingOIDCScope?: string[];
      missingOIDCClaims?: string[];
      missingResourceScopes?: Record<string, string[]>;
    };
    if (missing.missingOIDCScope) grant.addOIDCScope(missing.missingOIDCScope.join(' '));
    if (missing.missingOIDCClaims) grant.addOIDCClaims(missing.missingOIDCClaims);
    for (const [indicator, scopes] of Object.entries(missing.missingResourceScopes ?? {}))
      grant.addResourceScope(indicator, scopes.join(' '));
    const grantId = await grant.save();
    const launch = launchOf(details);
    const patient = details.lastSubmission?.['patient'];
    if (launch) contextByGrant.set(grantId, { patient: launch.patient, encounter: launch.encounter });
    else if (typeof patient === 'string') contextByGrant.set(grantId, { patient });
    await provider.interactionFinished(req, res, { consent: { grantId } }, { mergeWithLastSubmission: true });
  };

  /** Standalone launch/patient asks the clinician for a patient; an EHR launch already names one. */
  const asksForPatient = (details: InteractionDetails) =>
    param(details, 'scope').split(' ').includes('launch/patient') && !launchOf(details);

  const loginPage = (details: InteractionDetails, problem?: string) => {
    const wantsPatient = asksForPatient(details);
    const radio = (name: string, list: SmartAuthOptions['practitioners'], checkFirst = true) =>
      list
        .map(
          (p, i) =>
            `<label><input type="radio" name="${name}" value="${escapeHtml(p.id)}"${i === 0 && checkFirst ? ' checked' : ''}> ${escapeHtml(p.display)}</label><br>`,
        )
        .join('\n');
    const scribes = options.scribes ?? [];
    return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Sandbox EHR sign-in</title>
<style>body{font-family:system-ui,sans-serif;max-width:32rem;margin:3rem auto}fieldset{margin:1rem 0}</style></head>
<body><h1>Sandbox EHR sign-in</h1>
<p>Synthetic data only. Pick who you are${wantsPatient ? ' and the patient to open' : ''}.</p>
${problem ? `<p role="alert">${escapeHtml(problem)}</p>` : ''}
<form method="post" action="${escapeHtml(`${issuerPath}/interaction/${details.uid}`)}">
<fieldset><legend>Practitioner</legend>${radio('practitioner', options.practitioners)}</fieldset>
${scribes.length > 0 ? `<fieldset><legend>Scribe (not a practitioner)</legend>${radio('practitioner', scribes, false)}</fieldset>` : ''}
${wantsPatient ? `<fieldset><legend>Patient</legend>${radio('patient', options.patients)}</fieldset>` : ''}
<button type="submit" name="decision" value="allow">Sign in</button>
<button type="submit" name="decision" value="deny">Cancel</button></form></body></html>`;
  };

  const sendHtml = (res: ServerResponse, status: number, html: string) => {
    res.writeHead(status, {
      'content-type': 'text/html; charset=utf-8',
      'cache-control': 'no-store',
      // No form-action: browsers apply it to the whole redirect chain after the form, which ends at the app's redirect URI.
      'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'",
    });
    res.end(html);
  };

  const interaction = async (req: IncomingMessage, res: ServerResponse) => {
    const details = await provider.interactionDetails(req, res);
    if (details.prompt.name === 'consent') return finishConsent(req, res, details);
    if (details.prompt.name !== 'login')
      return sendHtml(res, 400, '<!doctype html><title>Unsupported</title><p>This sandbox only signs in and consents.</p>');
    if (launchOf(details) === null) {
      return provider.interactionFinished(
        req,
        res,
        { error: 'invalid_request', error_description: 'The launch is unknown or has expired; launch the app from the EHR again.' },
        { mergeWithLastSubmission: false },
      );
    }
    if (req.method === 'GET') return sendHtml(res, 200, loginPage(details));
    const form = new URLSearchParams((await readBody(req, 16 * 1024)).toString('utf8'));
    if (form.get('decision') === 'deny') {
      return provider.interactionFinished(
        req,
        res,
        { error: 'access_denied', error_description: 'The clinician cancelled the sign-in.' },
        { mergeWithLastSubmission: false },
      );
    }
    const practitioner = [...options.practitioners, ...(options.scribes ?? [])].find((p) => p.id === form.get('practitioner'));
    const wantsPatient = asksForPatient(details);
    const patient = options.patients.find((p) => p.id === form.get('patient'));
    if (!practitioner || (wantsPatient && !patient))
      return sendHtml(res, 400, loginPage(details, 'Pick a practitioner and, if asked, a patient.'));
    await provider.interactionFinished(
      req,
      res,
      { login: { accountId: practitioner.id }, ...(patient ? { patient: patient.id } : {}) },
      { mergeWithLastSubmission: false },
    );
  };

  return {
    urls,
    handle(req, res) {
      const original = req.url ?? '/';
      const rest = original.slice(issuerPath.length) || '/';
      if (/^\/interaction\/[A-Za-z0-9_-]+\/?(\?.*)?$/.test(rest) && (req.method === 'GET' || req.method === 'POST')) {
        interaction(req, res).catch(() => {
          if (!res.headersSent)
            sendHtml(
              res,
              400,
              '<!doctype html><title>Sign-in expired</title><p>This sign-in has expired or is unknown. Start again from the app.</p>',
            );
        });
        return;
      }
      let forwarded = rest;
      if (req.method === 'GET' && /^\/auth(\?|$)/.test(rest)) {
        const url = new URL(rest, 'http://sandbox.invalid');
        const aud = url.searchParams.get('aud');
        if (aud !== null && aud.replace(/\/+$/, '') !== fhirBaseUrl) {
          sendHtml(
            res,
            400,
            '<!doctype html><title>Unknown audience</title><p>The aud parameter does not name this sandbox FHIR server.</p>',
          );
          return;
        }
        // SMART sends `aud`; oidc-provider's resource indicators read `resource`.
        if (aud !== null && !url.searchParams.has('resource')) url.searchParams.set('resource', fhirBaseUrl);
        // oidc-provider keeps offline_access only with prompt=consent (OIDC Core); SMART apps do not send it.
        const scope = (url.searchParams.get('scope') ?? '').split(' ');
        const prompt = (url.searchParams.get('prompt') ?? '').split(' ').filter(Boolean);
        // prompt=login (switch user) shows the login page again; consent is kept alongside it.
        if (scope.includes('offline_access') && !prompt.includes('consent'))
          url.searchParams.set('prompt', [...prompt, 'consent'].join(' '));
        forwarded = `${url.pathname}${url.search}`;
      }
      // Mounted like Express does it: oidc-provider derives its mount path from originalUrl.
      (req as IncomingMessage & { originalUrl?: string }).originalUrl = `${issuerPath}${forwarded}`;
      req.url = forwarded;
      oidcCallback(req, res);
    },
    async verify(accessToken) {
      const record = (await provider.ClientCredentials.find(accessToken)) ?? (await provider.AccessToken.find(accessToken));
      if (!record?.clientId) return undefined;
      if (record.exp !== undefined && record.exp * 1000 <= Date.now()) return undefined;
      const audiences = Array.isArray(record.aud) ? record.aud : [record.aud];
      if (!audiences.includes(fhirBaseUrl)) return undefined;
      const kind = record.accountId ? 'user' : 'backend';
      return {
        kind,
        clientId: record.clientId,
        scopes: new Set((record.scope ?? '').split(' ').filter(Boolean)),
        practitionerId: record.accountId,
        patientId: record.grantId ? contextByGrant.get(record.grantId)?.patient : undefined,
      };
    },
    smartConfiguration: () => ({
      issuer,
      jwks_uri: urls.jwks,
      authorization_endpoint: urls.authorize,
      token_endpoint: urls.token,
      revocation_endpoint: `${issuer}/token/revocation`,
      introspection_endpoint: `${issuer}/token/introspection`,
      grant_types_supported: ['authorization_code', 'client_credentials', 'refresh_token'],
      token_endpoint_auth_methods_supported: ['private_key_jwt', 'none'],
      token_endpoint_auth_signing_alg_values_supported: SIGNING_ALGS,
      scopes_supported: [
        ...OIDC_SCOPES,
        'system/*.read',
        'system/*.write',
        'user/*.read',
        'user/*.write',
        'patient/*.read',
        'system/*.cruds',
        'user/*.cruds',
        'patient/*.rs',
      ],
      response_types_supported: ['code'],
      code_challenge_methods_supported: ['S256'],
      capabilities: [
        'launch-standalone',
        'launch-ehr',
        'context-ehr-patient',
        'context-ehr-encounter',
        'client-public',
        'client-confidential-asymmetric',
        'context-standalone-patient',
        'sso-openid-connect',
        'permission-offline',
        'permission-user',
        'permission-patient',
        'permission-v1',
        'permission-v2',
      ],
    }),
    expireTokens: () => store.expireAccessTokens(),
    createLaunch(context) {
      const now = Date.now();
      for (const [id, launch] of launches) if (launch.expiresAt <= now) launches.delete(id);
      const id = randomBytes(16).toString('base64url');
      launches.set(id, { patient: context.patient, encounter: context.encounter, expiresAt: now + LAUNCH_TTL_MS });
      return id;
    },
  };
}

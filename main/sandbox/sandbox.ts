import { createServer } from 'node:http';
import type { RequestListener } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Resource } from '@medplum/fhirtypes';
import { appIdentity } from '../kernel/app-identity.js';
import type { Logger } from '../log/logger.js';
import { nullLogger } from '../log/logger.js';
import { defaultUsCoreDir, loadUsCoreProfiles } from '../fhir/us-core-profiles.js';
import { createResourceValidator, errorsOf } from '../fhir/us-core-validation.js';
import { handleAdmin } from './admin-endpoint.js';
import { buildCapabilityStatement } from './capability-statement.js';
import type { FaultController, FaultSettingsInput } from './faults.js';
import { createFaultController } from './faults.js';
import { createFhirServer } from './fhir-server.js';
import type { SandboxProfileName } from './profiles/profile-registry.js';
import { sandboxProfile } from './profiles/profile-registry.js';
import { sendJson } from './http-util.js';
import { SandboxRepository } from './sandbox-repository.js';
import { SANDBOX_DEFAULTS } from './sandbox-defaults.js';
import { SANDBOX_PATIENTS, SANDBOX_PRACTITIONERS, SANDBOX_SCRIBES, sandboxEncounterId, sandboxSeed } from './seed.js';
import type { BackendClientRegistration, ClinicianClientRegistration, LaunchContext, SmartAuthUrls } from './smart-auth.js';
import { createSmartAuth } from './smart-auth.js';
import { sandboxNotLoopback, sandboxPortInUse } from './sandbox-errors.js';

export { SANDBOX_DEFAULTS };

/** What an extra listener reports once it listens; `close` stops it. */
export interface SandboxListener {
  readonly name: string;
  /** Printed at start, e.g. `mllp://127.0.0.1:2575`. */
  readonly address: string;
  close(): Promise<void>;
}

/** Given to each extra listener: where to bind and the shared fault switchboard. */
export interface SandboxListenerContext {
  readonly host: string;
  readonly faults: FaultController;
  readonly logger: Logger;
  readonly repository: SandboxRepository;
  readonly profile: SandboxProfileName;
}

/**
 * HOOK for other protocols (the HL7 v2 engineer's MLLP listener): a factory started after the HTTP
 * server listens and closed with the sandbox, e.g.
 *   startSandbox({ extraListeners: [(ctx) => startMllpListener({ host: ctx.host, port: 2575, faults: ctx.faults })] })
 */
export type SandboxListenerFactory = (context: SandboxListenerContext) => Promise<SandboxListener>;

export interface SandboxOptions {
  /** Which EHR the sandbox behaves as (docs/ehr-vendors.md); default permissive. */
  readonly profile?: SandboxProfileName;
  /** Loopback only: 127.0.0.1 (default), ::1 or localhost. */
  readonly host?: string;
  /** 0 picks a free port (tests). Default 8910. */
  readonly port?: number;
  /** SMART Backend Services clients and their public keys. */
  readonly backendClients?: readonly BackendClientRegistration[];
  readonly clinicianClient?: Partial<ClinicianClientRegistration>;
  /** Folder of US Core 8.0.0 profiles; null validates against base R4 only. Default: defaultUsCoreDir(). */
  readonly usCoreDir?: string | null;
  /** false: the CapabilityStatement omits transactions and transaction Bundles are refused. */
  readonly transactions?: boolean;
  readonly faults?: FaultSettingsInput;
  readonly random?: () => number;
  readonly accessTokenTtlSeconds?: number;
  /** The day the seeded encounters happen; default today. */
  readonly today?: Date;
  readonly logger?: Logger;
  readonly extraListeners?: readonly SandboxListenerFactory[];
}

export interface SandboxDescription {
  readonly fhirBaseUrl: string;
  readonly capabilityStatementUrl: string;
  readonly smartConfigurationUrl: string;
  readonly authorizeUrl: string;
  readonly tokenUrl: string;
  readonly jwksUrl: string;
  readonly adminUrl: string;
  readonly backendClientIds: readonly string[];
  readonly clinicianClientId: string;
  readonly organizationId: string;
  readonly profiles: string;
  readonly profilesNote?: string | undefined;
  /** The vendor profile the sandbox behaves as. */
  readonly profile: SandboxProfileName;
  readonly listeners: readonly { readonly name: string; readonly address: string }[];
}

export interface Sandbox {
  readonly fhirBaseUrl: string;
  readonly auth: SmartAuthUrls;
  readonly faults: FaultController;
  readonly repository: SandboxRepository;
  readonly listeners: readonly SandboxListener[];
  expireTokens(): number;
  /**
   * What the EHR does when a clinician opens the app from a chart: a `launch` id for this patient
   * (and encounter), sent to the app's launch URL with `iss` (see /admin/launch). Undefined for
   * a patient or encounter the sandbox does not hold.
   */
  createLaunch(context: LaunchContext): string | undefined;
  describe(): SandboxDescription;
  close(): Promise<void>;
}

const LOOPBACK = new Set(['127.0.0.1', '::1', 'localhost']);

/**
 * The sandbox EHR: a FHIR R4 server (Medplum's engine, in memory, seeded with synthetic people and
 * today's encounters), its SMART authorization server under /auth, an admin endpoint for fault
 * injection, and any extra listeners (the HL7 v2 MLLP listener), all on the loopback interface.
 * The default ports are the ones the app's default configuration points at.
 */
export async function startSandbox(options: SandboxOptions = {}): Promise<Sandbox> {
  const host = options.host ?? SANDBOX_DEFAULTS.host;
  if (!LOOPBACK.has(host)) throw sandboxNotLoopback();
  const logger = options.logger ?? nullLogger;
  const faults = createFaultController(options.faults, options.random);
  const profiles = loadUsCoreProfiles(options.usCoreDir === undefined ? defaultUsCoreDir() : options.usCoreDir);
  const profile = sandboxProfile(options.profile ?? 'permissive');
  // A vendor profile checks its own rules and base R4; only the permissive EHR holds writes to US Core.
  const validator = createResourceValidator(profile.usCoreValidation ? profiles : loadUsCoreProfiles(null));
  const repository = new SandboxRepository();
  const transactions = options.transactions ?? true;

  let handler: RequestListener | undefined;
  const server = createServer((req, res) => {
    if (handler) handler(req, res);
    else sendJson(res, 503, { error: 'starting' });
  });
  server.keepAliveTimeout = 5_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) =>
      reject(error.code === 'EADDRINUSE' ? sandboxPortInUse(options.port ?? SANDBOX_DEFAULTS.port) : error),
    );
    server.listen(options.port ?? SANDBOX_DEFAULTS.port, host, resolve);
  });
  const { port } = server.address() as AddressInfo;
  const origin = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
  const fhirBaseUrl = `${origin}${SANDBOX_DEFAULTS.fhirPath}`;

  const extra: SandboxListener[] = [];
  let fhir: ReturnType<typeof createFhirServer> | undefined;
  let closing: Promise<void> | undefined;
  const close = () =>
    (closing ??= (async () => {
      fhir?.close();
      for (const listener of [...extra].reverse()) await listener.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    })());

  try {
    const today = options.today ?? new Date();
    for (const resource of sandboxSeed(today)) await repository.createResource(resource);
    const display = (p: { given: string; family: string }) => `${p.given} ${p.family}`;
    const auth = await createSmartAuth({
      issuer: `${origin}${SANDBOX_DEFAULTS.authPath}`,
      fhirBaseUrl,
      backendClients: options.backendClients ?? [],
      clinicianClient: {
        clientId: options.clinicianClient?.clientId ?? SANDBOX_DEFAULTS.clinicianClientId,
        redirectUris: options.clinicianClient?.redirectUris ?? SANDBOX_DEFAULTS.clinicianRedirectUris,
      },
      accessTokenTtlSeconds: options.accessTokenTtlSeconds ?? SANDBOX_DEFAULTS.accessTokenTtlSeconds,
      practitioners: SANDBOX_PRACTITIONERS.map((p) => ({ id: p.id, display: `Dr. ${display(p)}` })),
      scribes: SANDBOX_SCRIBES.map((p) => ({ id: p.id, display: `${display(p)} (scribe)` })),
      patients: SANDBOX_PATIENTS.map((p) => ({ id: p.id, display: `${display(p)} (${p.mrn})` })),
      logger,
    });
    const capability = buildCapabilityStatement({
      fhirBaseUrl,
      auth: auth.urls,
      transactions,
      profile,
      usCore: profiles.source === 'us-core-8.0.0',
      softwareVersion: appIdentity.version,
      date: today.toISOString(),
    });
    fhir = createFhirServer({
      fhirBaseUrl,
      repo: repository,
      validator,
      verifyToken: (token) => auth.verify(token),
      smartConfiguration: () => auth.smartConfiguration(),
      capability: () => capability,
      transactions,
      profile,
      faults,
      logger,
    });
    const fhirServer = fhir;
    const seededPatients = new Set(SANDBOX_PATIENTS.map((p) => p.id));
    const seededEncounters = new Set(SANDBOX_PATIENTS.map((_p, i) => sandboxEncounterId(i)));
    const createLaunch = (context: LaunchContext) =>
      seededPatients.has(context.patient) && (context.encounter === undefined || seededEncounters.has(context.encounter))
        ? auth.createLaunch(context)
        : undefined;
    const adminDeps = { faults, expireTokens: () => auth.expireTokens(), counts: () => repository.counts(), createLaunch, fhirBaseUrl };
    handler = (req, res) => {
      const path = (req.url ?? '/').split('?')[0]!;
      const under = (prefix: string) => path === prefix || path.startsWith(`${prefix}/`);
      if (under(SANDBOX_DEFAULTS.fhirPath)) fhirServer.handle(req, res);
      else if (under(SANDBOX_DEFAULTS.authPath)) auth.handle(req, res);
      else if (under('/admin')) handleAdmin(req, res, path, adminDeps).catch(() => sendJson(res, 500, { error: 'admin failed' }));
      else sendJson(res, 404, { error: 'not found', fhirBaseUrl });
    };
    for (const factory of options.extraListeners ?? [])
      extra.push(await factory({ host, faults, logger, repository, profile: profile.name }));

    const describe = (): SandboxDescription => ({
      fhirBaseUrl,
      capabilityStatementUrl: `${fhirBaseUrl}/metadata`,
      smartConfigurationUrl: auth.urls.smartConfiguration,
      authorizeUrl: auth.urls.authorize,
      tokenUrl: auth.urls.token,
      jwksUrl: auth.urls.jwks,
      adminUrl: `${origin}/admin`,
      backendClientIds: (options.backendClients ?? []).map((c) => c.clientId),
      clinicianClientId: options.clinicianClient?.clientId ?? SANDBOX_DEFAULTS.clinicianClientId,
      organizationId: SANDBOX_DEFAULTS.organizationId,
      profiles: profiles.source,
      profilesNote: profiles.absentReason,
      profile: profile.name,
      listeners: extra.map((l) => ({ name: l.name, address: l.address })),
    });
    logger.info('sandbox.started', { port, profiles: profiles.source, profile: profile.name, listeners: extra.length });
    return {
      fhirBaseUrl,
      auth: auth.urls,
      faults,
      repository,
      listeners: extra,
      expireTokens: () => auth.expireTokens(),
      createLaunch,
      describe,
      close,
    };
  } catch (error) {
    await close();
    throw error;
  }
}

/** The seeded resources that fail their own profile: empty unless the seed or the profiles changed. */
export function invalidSeedResources(
  today: Date,
  usCoreDir: string | null = defaultUsCoreDir(),
): { resource: Resource; messages: string[] }[] {
  const validator = createResourceValidator(loadUsCoreProfiles(usCoreDir));
  return sandboxSeed(today)
    .map((resource) => ({ resource, messages: errorsOf(validator.validate(resource)).map((i) => `${i.expression}: ${i.message}`) }))
    .filter((r) => r.messages.length > 0);
}

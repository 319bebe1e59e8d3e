import { randomUUID } from 'node:crypto';
import type { CapabilityStatement } from '@medplum/fhirtypes';
import type { ConnectionCheck } from '../../../shared/domain/connection-test.js';
import type { Settings } from '../../../shared/domain/policy.js';
import { ScribeError } from '../../kernel/errors.js';
import { fhirTargetFromSettings } from '../../fhir/target-from-settings.js';
import type { DefaultFhirTarget } from '../../fhir/target-from-settings.js';
import { createFhirClient } from '../../fhir/fhir-client.js';
import { classifyHttpFailure, classifyNetworkError, FhirDeliveryError } from '../../fhir/fhir-errors.js';
import { FhirTargetConfig } from '../../fhir/fhir-target-config.js';
import { createBackendTokenSource } from '../../fhir/smart-backend-auth.js';
import { checkResult, seconds, skipped } from './check-result.js';
import { missingScopes } from './scopes.js';

const STEPS = [
  { step: 'fhir.metadata', title: 'FHIR server' },
  { step: 'fhir.token', title: 'Authorization (backend services token)' },
  { step: 'fhir.access', title: 'Access with the token' },
] as const;

export interface FhirCheckOptions {
  readonly settings: Settings;
  readonly defaultTarget: DefaultFhirTarget | undefined;
  readonly timeoutMs: number;
  readonly fetch?: typeof fetch;
}

function hintFor(code: string, o: { sandbox: boolean; timeoutMs: number; clientId: string }): string {
  switch (code) {
    case 'unreachable':
      return o.sandbox
        ? 'The sandbox EHR on this computer is not running: start it with "scribe sandbox", or set the FHIR base URL of your EHR.'
        : "Check the FHIR base URL's host name and port, and that this computer's network (proxy, firewall, VPN) reaches the EHR.";
    case 'tls_error':
      return "The EHR's certificate is not trusted by this computer or does not match the host name: check the URL, or ask IT to install the organisation's root certificate.";
    case 'timeout':
      return `The EHR did not answer within ${seconds(o.timeoutMs)}: check the network, or try again if the EHR is busy.`;
    case 'connection_lost':
      return 'The connection broke off: try again; if it keeps happening, a proxy or firewall may be cutting it.';
    case 'server_error':
    case 'rate_limited':
      return 'The EHR is having trouble right now. Signed notes wait in the outbox and are resent; try the test again later, and tell the EHR team if it persists.';
    case 'not_found':
    case 'not_fhir':
    case 'bad_response':
    case 'not_supported':
      return 'Check the FHIR base URL: it is the address just before /metadata (it often ends in /fhir or /R4).';
    case 'unsupported_fhir_version':
      return 'Ambient Scribe writes FHIR R4: ask the EHR team for the R4 endpoint.';
    case 'auth_rejected':
      return `The EHR's authorization server does not accept this workstation: check the client id (${o.clientId}), and that the EHR holds this workstation's public key (the public half of the private key file).`;
    case 'auth_scope':
      return `Ask the EHR team to allow client ${o.clientId} the scopes write-back asks for.`;
    case 'auth_discovery':
      return 'The EHR does not publish its token endpoint: set the FHIR token URL.';
    case 'auth_key':
      return 'The private key file holds a key that cannot sign: check the key file and its algorithm.';
    case 'unauthorized':
      return 'The EHR refused a token its own authorization server issued: check that the FHIR base URL and the token URL belong to the same EHR.';
    case 'forbidden':
      return `The EHR does not let client ${o.clientId} read or write notes: ask the EHR team to grant the write-back scopes.`;
    default:
      return 'Check the EHR connection settings and try again.';
  }
}

const asDeliveryError = (error: unknown, what: string) =>
  error instanceof FhirDeliveryError ? error : classifyNetworkError(error, undefined, what);

/**
 * The FHIR route, step by step, sending no patient data and creating nothing: the capability
 * statement (version, transactions), a backend-services token obtained exactly as delivery does
 * (and the scopes granted), then one search by a random id that matches nothing, which shows the
 * EHR accepts the token.
 */
export async function checkFhir(o: FhirCheckOptions): Promise<ConnectionCheck[]> {
  const doFetch = o.fetch ?? fetch;
  const sandbox = o.settings.fhirBaseUrl === null;
  const checks: ConnectionCheck[] = [];
  let started = performance.now();

  let config: FhirTargetConfig;
  try {
    config = FhirTargetConfig.parse({
      ...(await fhirTargetFromSettings(o.settings, o.defaultTarget)),
      requestTimeoutMs: Math.max(1000, o.timeoutMs),
    });
  } catch (error) {
    return [
      checkResult('fhir', 'fhir.config', 'FHIR settings', started, {
        status: 'failed',
        code: 'not_configured',
        message: error instanceof ScribeError ? error.message : 'The FHIR connection settings cannot be used.',
        hint: 'Complete the FHIR settings under EHR connection (base URL, client id, private key file).',
      }),
      ...skipped('fhir', STEPS),
    ];
  }
  const hint = (code: string) => hintFor(code, { sandbox, timeoutMs: o.timeoutMs, clientId: config.clientId });
  const failed = (index: number, error: FhirDeliveryError) => {
    const step = STEPS[index]!;
    checks.push(
      checkResult('fhir', step.step, step.title, started, {
        status: 'failed',
        code: error.code,
        message: error.reason,
        hint: hint(error.code),
      }),
    );
    return [...checks, ...skipped('fhir', STEPS.slice(index + 1))];
  };
  const where = sandbox ? `The sandbox EHR (${config.baseUrl})` : `The EHR at ${config.baseUrl}`;

  // 1. The capability statement, read as anyone may (most EHRs publish it without a token).
  let response: Response;
  try {
    response = await doFetch(`${config.baseUrl}/metadata`, {
      headers: { accept: 'application/fhir+json' },
      signal: AbortSignal.timeout(o.timeoutMs),
    });
  } catch (error) {
    return failed(0, classifyNetworkError(error, undefined, 'capability request'));
  }
  const body: unknown = await response.json().catch(() => undefined);
  const protectedMetadata = response.status === 401 || response.status === 403;
  if (!response.ok && !protectedMetadata)
    return failed(0, classifyHttpFailure(response.status, body, response.headers.get('retry-after'), 'capability request'));
  if (!protectedMetadata) {
    const cs = body as CapabilityStatement | undefined;
    if (cs?.resourceType !== 'CapabilityStatement') {
      return failed(
        0,
        new FhirDeliveryError('failed', 'not_fhir', `${config.baseUrl}/metadata answered, but not with a FHIR CapabilityStatement.`),
      );
    }
    const fhirVersion = cs.fhirVersion ?? '';
    if (!fhirVersion.startsWith('4.0')) {
      return failed(
        0,
        new FhirDeliveryError(
          'failed',
          'unsupported_fhir_version',
          `The EHR speaks FHIR ${fhirVersion || '(version not stated)'}; write-back needs FHIR R4 (4.0.x).`,
        ),
      );
    }
    const transactions = (cs.rest ?? []).some((r) => r.mode === 'server' && (r.interaction ?? []).some((i) => i.code === 'transaction'));
    checks.push(
      checkResult('fhir', STEPS[0].step, STEPS[0].title, started, {
        status: 'ok',
        code: 'ok',
        message: `${where} speaks FHIR ${fhirVersion}${transactions ? ' and takes transactions (each note goes as one).' : '. It does not take transactions: each note goes as separate creates, still never twice.'}`,
        details: { fhirVersion, transactions },
      }),
    );
  } else {
    checks.push(
      checkResult('fhir', STEPS[0].step, STEPS[0].title, started, {
        status: 'warning',
        code: 'metadata_protected',
        message: `${where} asks for a token before it shows its capability statement (HTTP ${response.status}), so its FHIR version was not checked.`,
        hint: 'Usually harmless; the next steps show whether write-back can sign in.',
      }),
    );
  }

  // 2. A token, exactly as delivery gets one.
  started = performance.now();
  const tokens = createBackendTokenSource({ ...config, ...(o.fetch ? { fetch: o.fetch } : {}) });
  try {
    await tokens.token(AbortSignal.timeout(o.timeoutMs));
  } catch (error) {
    return failed(1, asDeliveryError(error, 'token request'));
  }
  const granted = tokens.grantedScope()?.split(' ').filter(Boolean);
  const missing = granted ? missingScopes(config.scope.split(' '), granted) : [];
  checks.push(
    checkResult('fhir', STEPS[1].step, STEPS[1].title, started, {
      status: missing.length > 0 ? 'warning' : 'ok',
      code: missing.length > 0 ? 'scopes_missing' : 'ok',
      message:
        granted === undefined
          ? `Client ${config.clientId} got a token; the authorization server did not list the scopes it granted.`
          : `Client ${config.clientId} got a token with ${granted.length > 0 ? granted.join(' ') : 'no scopes'}.${missing.length > 0 ? ` Not granted: ${missing.join(' ')}.` : ''}`,
      ...(missing.length > 0
        ? { hint: `Without these, the EHR may refuse notes: ask the EHR team to grant them to client ${config.clientId}.` }
        : {}),
      ...(granted ? { details: { grantedScopes: granted } } : {}),
    }),
  );

  // 3. The token at work: a search by an id nothing has, so nothing is read or written.
  started = performance.now();
  const client = createFhirClient({ ...config, tokens, ...(o.fetch ? { fetch: o.fetch } : {}) });
  try {
    // The client bounds the request itself (requestTimeoutMs); a signal that fired would read as a cancelled job.
    await client.search('DocumentReference', `_id=${randomUUID()}`, new AbortController().signal);
  } catch (error) {
    return failed(2, asDeliveryError(error, 'test search'));
  }
  checks.push(
    checkResult('fhir', STEPS[2].step, STEPS[2].title, started, {
      status: 'ok',
      code: 'ok',
      message: 'The EHR accepted the token (a search that matches nothing).',
    }),
  );
  return checks;
}

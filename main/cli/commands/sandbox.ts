import { Option } from 'commander';
import type { Command } from 'commander';
import { readFile } from 'node:fs/promises';
import type { BackendClientRegistration } from '../../sandbox/smart-auth.js';
import { SANDBOX_PROFILE_NAMES } from '../../sandbox/profiles/profile.js';
import type { SandboxProfileName } from '../../sandbox/profiles/profile.js';
import { installExitReporter } from '../../log/exit-reporter.js';
import { resolveDataDir } from '../context.js';
import type { CliContext } from '../session.js';
import { invalidPort, invalidRate, notAJwks } from '../cli-errors.js';

interface SandboxCommandOptions {
  readonly port: number;
  readonly mllpPort: number;
  readonly host: string;
  readonly profile: SandboxProfileName;
  readonly json?: boolean;
  readonly clientKey?: string;
  readonly clientJwks?: string;
  readonly clientId?: string;
  readonly usCoreDir?: string;
  readonly errorRate?: number;
  readonly dropAfterCommitRate?: number;
  readonly timeoutRate?: number;
  readonly delayMs?: number;
}

const rate = (v: string) => {
  const n = Number(v);
  if (!Number.isFinite(n) || n < 0 || n > 1) throw invalidRate();
  return n;
};
const int = (v: string) => Number.parseInt(v, 10);
const port = (v: string) => {
  const n = Number(v);
  if (!/^\d+$/.test(v) || n > 65_535) throw invalidPort();
  return n;
};

export function registerSandboxCommand(program: Command, cli: CliContext): void {
  program
    .command('sandbox')
    .description('run the sandbox EHR (FHIR R4 + SMART auth + HL7 v2 MLLP, synthetic data) on 127.0.0.1 until stopped')
    .addOption(new Option('--port <port>', 'HTTP port for FHIR, auth and admin (0 picks a free one)').argParser(port).default(8910))
    .addOption(new Option('--mllp-port <port>', 'HL7 v2 MLLP port (0 picks a free one)').argParser(port).default(2575))
    .addOption(new Option('--host <host>', 'loopback address to bind').choices(['127.0.0.1', '::1', 'localhost']).default('127.0.0.1'))
    .addOption(
      new Option('--profile <name>', 'which EHR to behave as (docs/ehr-vendors.md): what it accepts, refuses, drops and searches')
        .choices(SANDBOX_PROFILE_NAMES)
        .default('permissive'),
    )
    .option('--json', 'print one JSON line: fhirBaseUrl, mllpAddress, profile and the other addresses')
    .option('--client-key <file>', "the demo backend client's key pair, created if missing (default: DATA_DIR/sandbox-client-key.json)")
    .option('--client-jwks <file>', 'also register this public JWKS for a backend client (see --client-id)')
    .option('--client-id <id>', 'client id for --client-jwks', 'external-backend')
    .option(
      '--us-core-dir <dir>',
      'US Core 8.0.0 profiles folder (default: ../shared/interop-samples/us-core-profiles or $SCRIBE_US_CORE_DIR)',
    )
    .addOption(new Option('--error-rate <rate>', 'answer this share of FHIR requests with 503').argParser(rate))
    .addOption(new Option('--drop-after-commit-rate <rate>', 'commit this share of writes, then drop the connection').argParser(rate))
    .addOption(new Option('--timeout-rate <rate>', 'never answer this share of FHIR requests').argParser(rate))
    .addOption(new Option('--delay-ms <ms>', 'delay every FHIR request').argParser(int))
    .action(async (o: SandboxCommandOptions) => {
      const reporter = installExitReporter({ name: 'sandbox', logger: cli.logger, stderr: (line) => cli.io.err(line) });
      // Loaded here, not at the top: the sandbox pulls in Medplum and oidc-provider, which no other command needs.
      const { startSandbox } = await import('../../sandbox/sandbox.js');
      const { SANDBOX_DEFAULTS } = await import('../../sandbox/sandbox-defaults.js');
      const { loadOrCreateSandboxClientKey, sandboxClientKeyPath } = await import('../../sandbox/sandbox-client-key.js');
      const keyFile = o.clientKey ?? sandboxClientKeyPath(resolveDataDir(cli.globals(), cli.env));
      const { key, created } = await loadOrCreateSandboxClientKey(keyFile);
      const backendClients: BackendClientRegistration[] = [{ clientId: SANDBOX_DEFAULTS.backendClientId, jwks: key.publicJwks }];
      if (o.clientJwks) {
        const jwks = JSON.parse(await readFile(o.clientJwks, 'utf8')) as { keys?: unknown };
        if (!Array.isArray(jwks.keys)) throw notAJwks();
        backendClients.push({ clientId: o.clientId ?? 'external-backend', jwks: jwks as BackendClientRegistration['jwks'] });
      }
      const sandbox = await startSandbox({
        host: o.host,
        port: o.port,
        profile: o.profile,
        backendClients,
        ...(o.usCoreDir ? { usCoreDir: o.usCoreDir } : {}),
        faults: {
          ...(o.errorRate !== undefined ? { errorRate: o.errorRate } : {}),
          ...(o.dropAfterCommitRate !== undefined ? { dropAfterCommitRate: o.dropAfterCommitRate } : {}),
          ...(o.timeoutRate !== undefined ? { timeoutRate: o.timeoutRate } : {}),
          ...(o.delayMs !== undefined ? { delayMs: o.delayMs } : {}),
        },
        logger: cli.logger,
        extraListeners: [(await import('../../sandbox/sandbox-mllp.js')).sandboxMllpListener({ port: o.mllpPort })],
      });
      const d = sandbox.describe();
      const mllpAddress = d.listeners.find((l) => l.address.startsWith('mllp://'))?.address;
      if (o.json) {
        cli.io.out(JSON.stringify({ ...d, mllpAddress, clientKeyFile: keyFile, clientKeyCreated: created }));
      } else {
        cli.io.out(
          [
            'Sandbox EHR is running (synthetic data only, in memory, gone when stopped).',
            `  FHIR R4 base        ${d.fhirBaseUrl}`,
            `  CapabilityStatement ${d.capabilityStatementUrl}`,
            `  SMART configuration ${d.smartConfigurationUrl}`,
            `  Authorize           ${d.authorizeUrl}`,
            `  Token               ${d.tokenUrl}`,
            `  Backend client      ${d.backendClientIds.join(', ')} (key ${created ? 'created' : 'read'}: ${keyFile})`,
            `  Clinician client    ${d.clinicianClientId} (authorization code + PKCE)`,
            `  Organization        Organization/${d.organizationId}`,
            ...d.listeners.map((l) => `  ${l.name.padEnd(19)} ${l.address}`),
            `  Faults              ${d.adminUrl}/faults`,
            `  Profiles            ${d.profiles}${d.profilesNote ? ` (${d.profilesNote})` : ''}`,
            `  EHR behaviour       ${d.profile}${d.profile === 'athena' ? ' (FHIR read-only: notes go over HL7 v2)' : ''}`,
            'Press Ctrl+C to stop.',
          ].join('\n'),
        );
      }
      await cli.untilStopped();
      reporter.stopping();
      await sandbox.close();
    });
}

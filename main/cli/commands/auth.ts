import { Option } from 'commander';
import type { Command } from 'commander';
import type { AuthStatus } from '../../../shared/domain/auth.js';
import { createAuthService } from '../../auth/auth-service.js';
import { signInConfigFrom } from '../../auth/sign-in-config.js';
import { SignInError } from '../../auth/sign-in-error.js';
import type { CliContext } from '../session.js';

function formatStatus(status: AuthStatus): string {
  const user = status.user;
  return [
    `Signed in as ${user?.displayName ?? '(name not given)'} (${user?.fhirUser ?? '?'}) at ${status.fhirBaseUrl ?? '?'}`,
    `Scopes      ${status.scopes.join(' ')}`,
    ...(status.context.patientId
      ? [`Patient     ${status.context.patientId}${status.context.encounterId ? `, encounter ${status.context.encounterId}` : ''}`]
      : []),
    `Token until ${status.expiresAt ?? '(not said)'}${status.refreshable ? ', renewable' : ''}`,
    'Signed out again: a command-line session ends with the command.',
  ].join('\n');
}

/** `scribe auth sign-in`: checks the sign-in set-up end to end, in the browser of your choice. */
export function registerAuthCommands(program: Command, cli: CliContext): void {
  const auth = program.command('auth').description('clinician sign-in with SMART on FHIR');
  auth
    .command('sign-in')
    .description(
      'sign in at the EHR (prints the address to open in your browser), show who you are and what the EHR granted, then sign out',
    )
    .addOption(new Option('--timeout <seconds>', 'how long to wait for the browser').argParser((v) => Number.parseInt(v, 10)).default(300))
    .option('--json', 'print JSON lines: {"open": URL}, then the sign-in status')
    .action(async (o: { timeout: number; json?: boolean }) => {
      const status = await cli.withScribe('open', async (scribe) => {
        const service = createAuthService({
          config: () => signInConfigFrom(scribe.settings.values()),
          openBrowser: (url) => {
            cli.io.out(
              o.json
                ? JSON.stringify({ open: url })
                : `Open this address in your browser and sign in:\n\n  ${url}\n\nWaiting for the EHR (Ctrl+C to stop)…`,
            );
            return Promise.resolve();
          },
          audit: scribe.audit,
          logger: cli.logger,
          signInTimeoutMs: Math.max(10, o.timeout) * 1000,
        });
        try {
          await service.signIn({ mode: 'standalone' });
          const done = await Promise.race([service.settled(), cli.untilStopped().then(() => service.cancel())]);
          if (done.state !== 'signed_in')
            throw new SignInError(done.problem?.code ?? 'cancelled', done.problem?.message ?? 'Sign-in did not complete.');
          await service.signOut();
          return done;
        } finally {
          await service.close();
        }
      });
      cli.io.out(o.json ? JSON.stringify(status) : formatStatus(status));
    });
}

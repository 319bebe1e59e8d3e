import type { Command } from 'commander';
import { userInfo } from 'node:os';
import type { Identity, SignBlock, SignerSource } from '../../../shared/domain/identity.js';
import { json } from '../output.js';
import type { CliContext } from '../session.js';

const SIGNER_SOURCES: Record<SignerSource, string> = {
  ehr_sign_in: 'vouched for by the EHR at sign-in',
  command_line: 'named on the command line (--as), checked with the EHR',
  workstation_mapping: "IT's link of this workstation account (signerPractitioners)",
  demo_ehr: "the demo EHR's clinician (no EHR is configured)",
};

const BLOCKS: Record<SignBlock, string> = {
  role: 'not offered: this role does not sign (signingRoles)',
  no_practitioner: 'not offered: no EHR practitioner is linked to this account; sign in with the EHR in the app, or ask IT to link it',
  unknown_to_ehr: 'not offered: the EHR does not know the linked practitioner; ask IT to correct the link',
};

function osAccount(): string | null {
  try {
    return userInfo().username;
  } catch {
    return null;
  }
}

function format(identity: Identity, account: { os: string | null; fromEnv: boolean; roleFromEnv: boolean }): string {
  const p = identity.practitioner;
  return [
    `Account     ${identity.actorId}${account.fromEnv ? ` (SCRIBE_USER; operating system account ${account.os ?? 'unknown'})` : ' (operating system account)'}`,
    `Role        ${identity.role}${account.roleFromEnv ? ' (SCRIBE_ROLE)' : ' (the default for a workstation account)'}`,
    `Signs as    ${p ? `Practitioner/${p.id}${p.name ? `, ${p.name}` : ''}: ${SIGNER_SOURCES[p.from]}` : 'nobody'}`,
    `Signing     ${identity.signBlocked ? BLOCKS[identity.signBlocked] : 'offered'}`,
    `EHR sign-in ${identity.signIn.available ? `set up (${identity.signIn.ehrName}); \`scribe auth sign-in\` checks it` : 'not set up (fhirBaseUrl and fhirSignInClientId)'}`,
  ].join('\n');
}

/** `scribe whoami`: who the command line acts as, in which role, and which EHR practitioner it would sign as. */
export function registerWhoamiCommand(program: Command, cli: CliContext): void {
  program
    .command('whoami')
    .description('who commands act as: account, role, the EHR practitioner they sign as and how that was settled')
    .option('--json', 'print JSON')
    .action(async (o: { json?: boolean }) => {
      const identity = await cli.withScribe('open', (_scribe, call) => call('auth:whoami', {}));
      const account = { os: osAccount(), fromEnv: cli.env['SCRIBE_USER'] !== undefined, roleFromEnv: cli.env['SCRIBE_ROLE'] !== undefined };
      cli.io.out(o.json ? json({ ...identity, osAccount: account.os }) : format(identity, account));
    });
}

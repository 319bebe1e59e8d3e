/**
 * `scribe whoami`, in process: the account commands act as, its role, the EHR practitioner it signs
 * as and how that was settled (the demo EHR's clinician with no EHR configured, IT's link once one
 * is), and why a scribe or an unlinked account is not offered signing.
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { afterAll, beforeAll, test } from 'vitest';
import { runCli } from '../../../main/cli/program.js';
import { openScribe } from '../../../main/compose.js';
import { SANDBOX_PRACTITIONERS } from '../../../main/sandbox/seed.js';
import { createPassphraseKeyProvider } from '../../../main/store/passphrase-key-provider.js';
import type { Identity } from '../../../shared/domain/identity.js';
import { closedPort } from '../../helpers/fhir-sandbox.js';
import { tempDir } from '../../helpers/temp-store.js';

const tmp = tempDir('scribe-whoami-cli-');
const dataDir = join(tmp.dir, 'data');
const PASSPHRASE = 'whoami cli test passphrase';
const admin = { id: 'it', role: 'admin' } as const;

async function whoami(args: readonly string[], env: Record<string, string>): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli(['whoami', ...args], {
    io: { out: (t) => out.push(t), err: (t) => err.push(t) },
    env: { SCRIBE_DATA_DIR: dataDir, SCRIBE_PASSPHRASE: PASSPHRASE, ...env },
    untilStopped: () => new Promise(() => undefined),
  });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

beforeAll(() => {
  openScribe({ dataDir, keyProvider: createPassphraseKeyProvider(PASSPHRASE), mode: 'create' }).close();
});
afterAll(() => tmp.cleanup());

test('with no EHR configured, a clinician account signs as the demo EHR’s clinician', async () => {
  const { code, out, err } = await whoami(['--json'], { SCRIBE_USER: 'jdoe', SCRIBE_ROLE: 'clinician' });
  assert.equal(code, 0, err);
  const me = JSON.parse(out) as Identity & { osAccount: string | null };
  assert.equal(me.actorId, 'jdoe');
  assert.deepEqual([me.role, me.roleFrom, me.signedIn], ['clinician', 'workstation', null]);
  assert.equal(me.practitioner?.id, SANDBOX_PRACTITIONERS[0]!.id);
  assert.equal(me.practitioner?.from, 'demo_ehr');
  assert.deepEqual([me.maySign, me.signBlocked], [true, null]);
  assert.equal(typeof me.osAccount, 'string');
});

test('a scribe is not offered signing; the text says why', async () => {
  const { code, out } = await whoami([], { SCRIBE_USER: 'sc.lee', SCRIBE_ROLE: 'scribe' });
  assert.equal(code, 0);
  assert.match(out, /^Account {5}sc\.lee \(SCRIBE_USER; operating system account .+\)$/m);
  assert.match(out, /^Role {8}scribe \(SCRIBE_ROLE\)$/m);
  assert.match(out, /^Signs as {4}nobody$/m);
  assert.match(out, /^Signing {5}not offered: this role does not sign/m);
});

test("with an EHR configured, only IT's link gives a workstation account a practitioner", async () => {
  const app = openScribe({ dataDir, keyProvider: createPassphraseKeyProvider(PASSPHRASE), mode: 'open' });
  try {
    // An EHR that does not answer: the link cannot be checked, so it stands (as signing does).
    app.settings.update({ fhirBaseUrl: `http://127.0.0.1:${await closedPort()}/fhir`, signerPractitioners: { jdoe: 'p-42' } }, admin);
  } finally {
    app.close();
  }
  const linked = JSON.parse((await whoami(['--json'], { SCRIBE_USER: 'jdoe' })).out) as Identity;
  assert.deepEqual(linked.practitioner, { id: 'p-42', name: null, from: 'workstation_mapping' });
  assert.equal(linked.maySign, true);

  const unlinked = await whoami([], { SCRIBE_USER: 'someone-else' });
  assert.match(unlinked.out, /^Signs as {4}nobody$/m);
  assert.match(unlinked.out, /^Signing {5}not offered: no EHR practitioner is linked to this account/m);
  assert.match(unlinked.out, /^EHR sign-in not set up/m);
});

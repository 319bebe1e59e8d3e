/**
 * Who someone signed in with the EHR is in the app, through the composition root and the API the
 * renderer uses (auth:signIn, auth:whoami), against the sandbox EHR's SMART login page driven by a
 * fetch browser: a Practitioner is a clinician who signs as themself; the sandbox's scribe (fhirUser
 * a Person) is a scribe who is not offered signing and whose sign call is refused; IT's mapping
 * (`ehrUserRoles`) overrides the type; switching user shows the login page again though the EHR's
 * own browser session lasts; the browser mode gets the sign-in address back for its page to open.
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, test } from 'vitest';
import { signedInActor } from '../../../main/auth/auth-actor.js';
import type { Scribe } from '../../../main/compose.js';
import { openScribe } from '../../../main/compose.js';
import type { CallContext } from '../../../main/kernel/actor.js';
import { startSandbox } from '../../../main/sandbox/sandbox.js';
import type { Sandbox } from '../../../main/sandbox/sandbox.js';
import { SANDBOX_DEFAULTS } from '../../../main/sandbox/sandbox-defaults.js';
import { createPassphraseKeyProvider } from '../../../main/store/passphrase-key-provider.js';
import type { AuthStatus, SignInStarted, UserRole } from '../../../shared/domain/auth.js';
import type { Identity } from '../../../shared/domain/identity.js';
import type { Note } from '../../../shared/domain/note.js';
import type { Visit } from '../../../shared/domain/visit.js';
import { fetchBrowser } from '../../helpers/fetch-browser.js';
import type { FetchPage } from '../../helpers/fetch-browser.js';
import { noteDraft } from '../../helpers/note-draft.js';
import { FAST_SCRYPT, SENTINEL, tempDir } from '../../helpers/temp-store.js';

type Result = { ok: true; value: unknown } | { ok: false; error: { code: string; reason: string } };

describe('signing in with the EHR: role, identity and who may sign', () => {
  const tmp = tempDir('scribe-sign-in-roles-');
  const workstation = { id: 'os-user', role: 'clinician' } as const;
  const browser = fetchBrowser();
  const opened: FetchPage[] = [];
  let userRoles: Record<string, UserRole> = {};
  let sandbox: Sandbox;
  let scribe: Scribe;

  const ctx = (transport: CallContext['transport'] = 'ipc'): CallContext => ({
    transport,
    actor: signedInActor(scribe.auth, workstation)(),
  });
  const call = async (channel: string, request: unknown, transport?: CallContext['transport']) =>
    (await scribe.dispatch(channel, request, ctx(transport))) as Result;
  const value = async <T>(channel: string, request: unknown, transport?: CallContext['transport']) => {
    const result = await call(channel, request, transport);
    assert.ok(result.ok, JSON.stringify(result));
    return result.value as T;
  };

  /** Signs in through the desktop API (the opener is the fetch browser), picking `user` on the sandbox's login page. */
  async function signInAs(user: string, switchUser = false): Promise<AuthStatus> {
    const before = opened.length;
    await value<SignInStarted>('auth:signIn', { mode: 'standalone', ...(switchUser ? { switchUser } : {}) });
    const page = opened[before];
    assert.ok(page, 'the system browser was opened');
    assert.match(page.html, /Sandbox EHR sign-in/, 'the login page is shown');
    const landed = await browser.submitLogin(page, user);
    assert.match(landed.url, /^http:\/\/127\.0\.0\.1:\d+\/callback\?/, `the browser ended at ${landed.url}: ${landed.html.slice(0, 1500)}`);
    return scribe.auth.settled();
  }

  beforeAll(async () => {
    sandbox = await startSandbox({ port: 0, usCoreDir: null });
    scribe = openScribe({
      dataDir: join(tmp.dir, 'data'),
      keyProvider: createPassphraseKeyProvider('sign-in roles passphrase', FAST_SCRYPT),
      mode: 'create',
      auth: {
        config: () => ({
          fhirBaseUrl: sandbox.fhirBaseUrl,
          clientId: SANDBOX_DEFAULTS.clinicianClientId,
          scope: 'openid fhirUser profile offline_access user/*.read user/*.write',
          launchPort: null,
          userRoles,
        }),
        openBrowser: async (url) => {
          opened.push(await browser.open(url));
        },
        requestTimeoutMs: 5_000,
      },
    });
  });
  afterAll(async () => {
    scribe?.close();
    await sandbox?.close();
    tmp.cleanup();
  });

  test('before anyone signs in, the workstation account acts in its own role, and sign-in is offered', async () => {
    const me = await value<Identity>('auth:whoami', {});
    assert.equal(me.actorId, 'os-user');
    assert.equal(me.roleFrom, 'workstation');
    assert.equal(me.signedIn, null);
    assert.deepEqual(me.signIn, { available: true, ehrName: 'the EHR' });
  });

  test('a Practitioner signs in as a clinician who signs as themself', async () => {
    const status = await signInAs('sbx-practitioner-1');
    assert.equal(status.state, 'signed_in');
    const me = await value<Identity>('auth:whoami', {});
    assert.equal(me.actorId, 'sbx-practitioner-1');
    assert.equal(me.role, 'clinician');
    assert.equal(me.roleFrom, 'fhir_user_type');
    assert.equal(me.displayName, 'Dr. Robin Clinician-Sandbox');
    assert.equal(me.signedIn?.fhirUser, 'Practitioner/sbx-practitioner-1');
    assert.deepEqual(me.practitioner, { id: 'sbx-practitioner-1', name: 'Dr. Robin Clinician-Sandbox', from: 'ehr_sign_in' });
    assert.deepEqual([me.maySign, me.signBlocked], [true, null]);
    const info = await value<{ user: { id: string; role: string } }>('app:info', {});
    assert.deepEqual(info.user, { id: 'sbx-practitioner-1', role: 'clinician' });
  });

  test("switching user shows the EHR's login page again; the scribe (a Person) is a scribe who cannot sign", async () => {
    await value('auth:signOut', {});
    const status = await signInAs('sbx-scribe-1', true);
    assert.equal(status.state, 'signed_in', JSON.stringify(status.problem));
    assert.deepEqual(
      { id: status.user?.id, practitionerId: status.user?.practitionerId, role: status.user?.role, roleFrom: status.user?.roleFrom },
      { id: 'Person/sbx-scribe-1', practitionerId: null, role: 'scribe', roleFrom: 'fhir_user_type' },
    );
    const me = await value<Identity>('auth:whoami', {});
    assert.equal(me.role, 'scribe');
    assert.equal(me.displayName, 'Sam Scribe-Sandbox (scribe)');
    assert.deepEqual([me.maySign, me.signBlocked, me.practitioner], [false, 'role', null]);

    const visit = await value<Visit>('visit:create', { patientId: SENTINEL.patientId, patient: { displayName: SENTINEL.name } });
    const saved = await value<Note>('note:save', { visitId: visit.id, note: noteDraft(visit.id) });
    const refused = await call('visit:sign', { visitId: visit.id, revision: saved.revision });
    assert.deepEqual(!refused.ok && [refused.error.code, refused.error.reason], ['forbidden', 'signing.role_forbidden']);
    assert.notEqual((await value<Visit>('visit:get', { id: visit.id })).state, 'signed', 'nothing was locked');
    assert.deepEqual((await value<{ jobs: unknown[] }>('outbox:list', {})).jobs, [], 'nothing was queued');
    const audit = [...scribe.audit.entries()].filter((e) => e.action === 'auth.signed_in');
    assert.deepEqual(
      audit.map((e) => e.actor),
      ['sbx-practitioner-1', 'Person/sbx-scribe-1'],
    );
  });

  test("IT's mapping of a fhirUser decides over its type", async () => {
    userRoles = { 'Practitioner/sbx-practitioner-2': 'scribe' };
    try {
      const status = await signInAs('sbx-practitioner-2', true);
      assert.deepEqual([status.user?.role, status.user?.roleFrom], ['scribe', 'policy_mapping']);
      const me = await value<Identity>('auth:whoami', {});
      assert.deepEqual([me.role, me.roleFrom, me.maySign, me.signBlocked], ['scribe', 'policy_mapping', false, 'role']);
    } finally {
      userRoles = {};
    }
  });

  test('the browser mode gets the sign-in address back instead of a system browser', async () => {
    const before = opened.length;
    const started = await value<SignInStarted>('auth:signIn', { mode: 'standalone', switchUser: true }, 'web');
    assert.equal(started.state, 'signing_in');
    assert.ok(started.openInBrowser?.startsWith(`${sandbox.auth.issuer}/auth?`), started.openInBrowser ?? 'no address');
    assert.equal(opened.length, before, 'no system browser was opened');
    const page = await browser.open(started.openInBrowser ?? '');
    await browser.submitLogin(page, 'sbx-practitioner-3');
    const status = await scribe.auth.settled();
    assert.equal(status.user?.practitionerId, 'sbx-practitioner-3');
    const desktop = await value<SignInStarted>('auth:signIn', { mode: 'standalone' });
    assert.equal(desktop.openInBrowser, null, 'the desktop app never hands the address to its renderer');
    await value('auth:cancel', {});
  });
});

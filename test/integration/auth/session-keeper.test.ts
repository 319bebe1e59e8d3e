/**
 * The session keeper with real sessions: each grant comes from a real sign-in at the sandbox EHR
 * (fetch browser, oidc-provider on a free loopback port), and revocation is checked at the EHR.
 */
import assert from 'node:assert/strict';
import { afterAll, beforeAll, describe, test } from 'vitest';
import type { AuditRecord } from '../../../main/audit/audit-log.js';
import type { AuditEntry } from '../../../shared/domain/audit.js';
import { remoteKeySets } from '../../../main/auth/id-token.js';
import { createSessionKeeper } from '../../../main/auth/session-keeper.js';
import type { SessionKeeper, SessionKeeperOptions } from '../../../main/auth/session-keeper.js';
import { createSignInAttempt } from '../../../main/auth/sign-in-attempt.js';
import type { AttemptOutcome, SignInGrant } from '../../../main/auth/sign-in-attempt.js';
import type { UsableSignInConfig } from '../../../main/auth/sign-in-config.js';
import { SignInError } from '../../../main/auth/sign-in-error.js';
import { startSandbox } from '../../../main/sandbox/sandbox.js';
import type { Sandbox } from '../../../main/sandbox/sandbox.js';
import { SANDBOX_DEFAULTS } from '../../../main/sandbox/sandbox-defaults.js';
import { recordingLogger } from '../../helpers/fhir-sandbox.js';
import { fetchBrowser } from '../../helpers/fetch-browser.js';

const SCOPE = 'openid fhirUser offline_access user/*.read';

describe('the session keeper', () => {
  let sandbox: Sandbox;
  let config: UsableSignInConfig;
  const keepers: SessionKeeper[] = [];

  beforeAll(async () => {
    sandbox = await startSandbox({ port: 0, usCoreDir: null });
    config = { fhirBaseUrl: sandbox.fhirBaseUrl, clientId: SANDBOX_DEFAULTS.clinicianClientId, scope: SCOPE, launchPort: null };
  });
  afterAll(async () => {
    for (const k of keepers) k.close();
    await sandbox.close();
  });

  /** A real sign-in at the sandbox EHR as `practitioner`. */
  async function grantFor(practitioner: string, scope = SCOPE): Promise<SignInGrant> {
    let outcome: AttemptOutcome | undefined;
    const attempt = createSignInAttempt({
      config: { ...config, scope },
      fetch,
      now: Date.now,
      requestTimeoutMs: 5_000,
      signInTimeoutMs: 60_000,
      keySet: remoteKeySets(5_000),
      logger: recordingLogger(),
      settle: (o) => (outcome = o),
    });
    const browser = fetchBrowser();
    await browser.submitLogin(await browser.open((await attempt.start()).url), practitioner);
    await attempt.done;
    assert.ok(outcome?.kind === 'signed_in', 'signed in at the sandbox');
    return outcome.grant;
  }

  function keeper(overrides: Partial<SessionKeeperOptions> = {}) {
    const audited: AuditRecord[] = [];
    const ended: (SignInError | null)[] = [];
    let renewed = 0;
    const logger = recordingLogger();
    const made = createSessionKeeper({
      audit: {
        append: (record) => {
          audited.push(record);
          return { ...record, seq: audited.length } as unknown as AuditEntry;
        },
      },
      logger,
      fetch,
      now: Date.now,
      requestTimeoutMs: 5_000,
      onRenewed: () => (renewed += 1),
      onEnded: (why) => ended.push(why),
      ...overrides,
    });
    keepers.push(made);
    return { made, audited, ended, logger, renewed: () => renewed };
  }

  const readPatient = (token: string) =>
    fetch(`${sandbox.fhirBaseUrl}/Patient/sbx-patient-1`, { headers: { authorization: `Bearer ${token}` } }).then((r) => r.status);
  const until = async (what: () => boolean) => {
    for (let i = 0; i < 100 && !what(); i += 1) await new Promise((resolve) => setTimeout(resolve, 20));
  };

  test('nobody signed in: no actor, and a token is refused with a reason', async () => {
    const { made } = keeper();
    assert.equal(made.actor(), undefined);
    assert.equal(made.session(), undefined);
    await assert.rejects(made.tokens.token(), (e: unknown) => e instanceof SignInError && e.reason === 'auth.nobody_signed_in');
  });

  test('a grant becomes the session: the practitioner acts, the token reads from the EHR; sign-out revokes it at the EHR', async () => {
    const { made, audited, ended, logger } = keeper();
    made.adopt(await grantFor('sbx-practitioner-1'));
    const { practitioner, ...actor } = made.actor()!;
    assert.deepEqual(actor, { id: 'sbx-practitioner-1', role: 'clinician' });
    // The EHR vouched for who this is: they sign as this practitioner.
    assert.deepEqual([practitioner?.id, practitioner?.vouchedBy], ['sbx-practitioner-1', 'ehr-sign-in']);
    const token = await made.tokens.token();
    assert.equal(await readPatient(token), 200);
    assert.deepEqual(
      audited.map((e) => [e.action, e.actor]),
      [['auth.signed_in', 'sbx-practitioner-1']],
    );

    await made.signOut();
    assert.deepEqual(ended, [null], 'a sign-out is announced without a problem');
    assert.equal(made.actor(), undefined);
    assert.deepEqual(audited.at(-1)?.action, 'auth.signed_out');
    assert.ok(logger.lines.some((l) => l.includes('auth.revoked')));
    assert.equal(await readPatient(token), 401, 'revoked at the EHR');
    await made.signOut();
    assert.equal(ended.length, 1, 'signing out with nobody signed in announces nothing');
  });

  test('a new sign-in replaces the session: the old one is forgotten (audited as ended) but not revoked', async () => {
    const { made, audited, ended } = keeper();
    made.adopt(await grantFor('sbx-practitioner-1'));
    const first = await made.tokens.token();
    const firstSession = made.session()!;
    made.adopt(await grantFor('sbx-practitioner-2'));
    assert.equal(made.actor()?.id, 'sbx-practitioner-2');
    assert.notEqual(await made.tokens.token(), first);
    assert.deepEqual(
      audited.map((e) => [e.action, e.actor]),
      [
        ['auth.signed_in', 'sbx-practitioner-1'],
        ['auth.session_ended', 'sbx-practitioner-1'],
        ['auth.signed_in', 'sbx-practitioner-2'],
      ],
    );
    assert.deepEqual(ended, [], 'a replaced session is not announced as ended');
    assert.equal(firstSession.revocable(), undefined, 'the old tokens are forgotten here');
    assert.equal(await readPatient(first), 200, 'and not revoked at the EHR');
    await made.signOut();
  });

  test('a session that cannot be renewed ends when its token runs out', async () => {
    const { made, ended, audited } = keeper({ now: () => Date.now() + 24 * 3600_000 });
    made.adopt(await grantFor('sbx-practitioner-3', 'openid fhirUser user/*.read'));
    await until(() => ended.length > 0);
    assert.equal(ended.length, 1);
    assert.equal(ended[0]?.reason, 'auth.session_ended');
    assert.equal(ended[0]?.problem, 'session_expired');
    assert.equal(made.actor(), undefined);
    assert.equal(audited.at(-1)?.action, 'auth.session_ended');
  });

  test('a refreshable session renews its token before it runs out (halfway through a life under a minute, not over and over), and stays', async () => {
    const shortLived = await startSandbox({ port: 0, usCoreDir: null, accessTokenTtlSeconds: 2 });
    try {
      const previous = config;
      config = { ...config, fhirBaseUrl: shortLived.fhirBaseUrl };
      let grant: SignInGrant;
      try {
        grant = await grantFor('sbx-practitioner-1');
      } finally {
        config = previous;
      }
      const { made, ended, renewed } = keeper();
      made.adopt(grant);
      const before = made.session()?.revocable()?.token;
      await new Promise((resolve) => setTimeout(resolve, 2_500));
      assert.ok(renewed() >= 1 && renewed() <= 3, `renewed ${renewed()} times in 2.5 s`);
      assert.notEqual(made.session()?.revocable()?.token, before, 'the EHR rotated the refresh token');
      assert.deepEqual(ended, []);
      assert.equal(made.actor()?.id, 'sbx-practitioner-1');
      made.close();
    } finally {
      await shortLived.close();
    }
  });

  test('settings that name another EHR or client id end the session and revoke its tokens; the same ones leave it alone', async () => {
    const { made, ended } = keeper();
    made.adopt(await grantFor('sbx-practitioner-2'));
    const token = await made.tokens.token();
    made.followSettings(config);
    assert.equal(made.actor()?.id, 'sbx-practitioner-2');
    made.followSettings({ ...config, clientId: 'another-registration' });
    assert.equal(made.actor(), undefined);
    assert.equal(ended[0]?.reason, 'auth.ehr_settings_changed');
    let status = await readPatient(token);
    for (let i = 0; i < 50 && status !== 401; i += 1) {
      await new Promise((resolve) => setTimeout(resolve, 20));
      status = await readPatient(token);
    }
    assert.equal(status, 401, 'revoked at the EHR');
  });
});

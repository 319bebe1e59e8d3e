/**
 * One sign-in attempt against the sandbox EHR (oidc-provider with PKCE on a free loopback port),
 * driven by a fetch browser: it ends exactly once, with a grant naming the practitioner or with why
 * not, and it closes the redirect listener it opened but never the EHR launch listener it borrows.
 */
import assert from 'node:assert/strict';
import { afterAll, beforeAll, describe, test } from 'vitest';
import { remoteKeySets } from '../../../main/auth/id-token.js';
import { startLoopbackListener } from '../../../main/auth/loopback-listener.js';
import type { LoopbackListener } from '../../../main/auth/loopback-listener.js';
import { signInCancelled, superseded } from '../../../main/auth/auth-errors.js';
import { createSignInAttempt } from '../../../main/auth/sign-in-attempt.js';
import type { AttemptOutcome, SignInAttemptOptions } from '../../../main/auth/sign-in-attempt.js';
import type { UsableSignInConfig } from '../../../main/auth/sign-in-config.js';
import { SignInError } from '../../../main/auth/sign-in-error.js';
import { startSandbox } from '../../../main/sandbox/sandbox.js';
import type { Sandbox } from '../../../main/sandbox/sandbox.js';
import { SANDBOX_DEFAULTS } from '../../../main/sandbox/sandbox-defaults.js';
import { recordingLogger } from '../../helpers/fhir-sandbox.js';
import { fetchBrowser } from '../../helpers/fetch-browser.js';

describe('a sign-in attempt', () => {
  let sandbox: Sandbox;
  let config: UsableSignInConfig;

  beforeAll(async () => {
    sandbox = await startSandbox({ port: 0, usCoreDir: null });
    config = {
      fhirBaseUrl: sandbox.fhirBaseUrl,
      clientId: SANDBOX_DEFAULTS.clinicianClientId,
      scope: 'openid fhirUser offline_access user/*.read',
      launchPort: null,
    };
  });
  afterAll(async () => {
    await sandbox.close();
  });

  /** An attempt whose `settle` records every outcome (it must run once) and reports how many it saw. */
  function attempt(overrides: Partial<SignInAttemptOptions<number>> = {}) {
    const outcomes: AttemptOutcome[] = [];
    const logger = recordingLogger();
    const made = createSignInAttempt<number>({
      config,
      fetch,
      now: Date.now,
      requestTimeoutMs: 5_000,
      signInTimeoutMs: 60_000,
      keySet: remoteKeySets(5_000),
      logger,
      settle: (outcome) => outcomes.push(outcome),
      ...overrides,
    });
    return { made, outcomes, logger };
  }

  const redirectUriOf = (url: string) => new URL(url).searchParams.get('redirect_uri') ?? '';
  const stillListening = (url: string) =>
    fetch(url).then(
      () => true,
      () => false,
    );

  test('standalone: the clinician signs in at the EHR; the grant names the practitioner the id_token vouches for, and the redirect listener closes', async () => {
    const { made, outcomes } = attempt();
    assert.equal(made.launch, 'standalone');
    const request = await made.start();
    assert.equal(request.authorizationEndpoint, sandbox.auth.authorize);
    const redirectUri = redirectUriOf(request.url);
    assert.match(redirectUri, /^http:\/\/127\.0\.0\.1:\d+\/callback$/);

    const browser = fetchBrowser();
    const landed = await browser.submitLogin(await browser.open(request.url), 'sbx-practitioner-3');
    assert.equal(landed.status, 200);
    assert.match(landed.html, /signed in to Ambient Scribe/);
    assert.equal(await made.done, 1, 'settled once');
    const [outcome] = outcomes;
    assert.ok(outcome?.kind === 'signed_in');
    assert.deepEqual(outcome.grant.user, {
      id: 'sbx-practitioner-3',
      practitionerId: 'sbx-practitioner-3',
      fhirUser: 'Practitioner/sbx-practitioner-3',
      displayName: 'Dr. Noor Nurse-Practitioner-Sandbox',
      role: 'clinician',
      roleFrom: 'fhir_user_type',
    });
    assert.equal(outcome.grant.launch, 'standalone');
    assert.equal(outcome.grant.revocationEndpoint, `${sandbox.auth.issuer}/token/revocation`);
    const token = outcome.grant.client.state.tokenResponse?.access_token;
    assert.equal(
      (await fetch(`${sandbox.fhirBaseUrl}/Patient/sbx-patient-1`, { headers: { authorization: `Bearer ${token}` } })).status,
      200,
      'the token works at the EHR',
    );

    await new Promise((resolve) => setTimeout(resolve, 50));
    assert.equal(await stillListening(redirectUri), false, 'nothing listens on the redirect URI any more');
    made.abandon(signInCancelled());
    assert.equal(outcomes.length, 1, 'an ended attempt cannot end again');
  });

  test('a response without our state is refused and the real one still completes; a refusal at the EHR ends it as access_denied', async () => {
    const { made, outcomes, logger } = attempt();
    const request = await made.start();
    const redirectUri = redirectUriOf(request.url);
    const forged = await fetch(`${redirectUri}?state=guess&code=stolen`);
    assert.equal(forged.status, 400);
    assert.equal(outcomes.length, 0, 'still waiting');
    assert.ok(logger.lines.some((l) => l.includes('auth.callback_refused') && l.includes('state_mismatch')));

    const browser = fetchBrowser();
    const declined = await browser.submitLogin(await browser.open(request.url), 'sbx-practitioner-1', 'deny');
    assert.equal(declined.status, 403);
    await made.done;
    const [outcome] = outcomes;
    assert.ok(outcome?.kind === 'failed');
    assert.equal(outcome.error.reason, 'auth.access_denied');
    assert.ok(logger.lines.some((l) => l.includes('auth.sign_in_failed') && l.includes('access_denied')));
  });

  test('a clinician who never comes back: it times out and stops listening', async () => {
    const { made, outcomes } = attempt({ signInTimeoutMs: 100 });
    const redirectUri = redirectUriOf((await made.start()).url);
    await made.done;
    const [outcome] = outcomes;
    assert.ok(outcome?.kind === 'failed' && outcome.error.reason === 'auth.sign_in_timed_out' && outcome.error.problem === 'timed_out');
    await new Promise((resolve) => setTimeout(resolve, 50));
    assert.equal(await stillListening(redirectUri), false);
  });

  test('abandoned while it is still starting: start rejects with the reason it was abandoned for', async () => {
    for (const why of [signInCancelled(), superseded()]) {
      const { made, outcomes } = attempt();
      const starting = made.start();
      made.abandon(why);
      await assert.rejects(starting, (e: unknown) => e instanceof SignInError && e.reason === why.reason);
      assert.equal(outcomes.length, 1);
    }
  });

  test('an EHR that cannot be reached: start rejects with discovery_failed and the attempt ends with it', async () => {
    const { made, outcomes } = attempt({ config: { ...config, fhirBaseUrl: 'http://127.0.0.1:1/fhir' } });
    await assert.rejects(made.start(), (e: unknown) => e instanceof SignInError && e.problem === 'discovery_failed');
    assert.ok(outcomes[0]?.kind === 'failed' && outcomes[0].error.problem === 'discovery_failed');
  });

  describe('EHR launch', () => {
    let launchListener: LoopbackListener;
    let route: (query: URLSearchParams) => Promise<{ status: number; html: string } | { redirect: string }>;

    beforeAll(async () => {
      launchListener = await startLoopbackListener({ port: 0, routes: { '/callback': (query) => route(query) } });
    });
    afterAll(async () => {
      await launchListener.close();
    });

    test('on the borrowed launch listener: the launch context arrives with the grant, and the listener stays open', async () => {
      const launchId = sandbox.createLaunch({ patient: 'sbx-patient-2', encounter: 'sbx-encounter-2' });
      assert.ok(launchId);
      const { made, outcomes } = attempt({ ehr: { launch: launchId, listener: () => launchListener } });
      route = (query) => made.callback(query);
      assert.equal(made.launch, 'ehr');
      const request = await made.start();
      assert.equal(new URL(request.url).searchParams.get('launch'), launchId);
      assert.equal(redirectUriOf(request.url), `${launchListener.origin}/callback`);
      assert.ok(made.isOn(launchListener));

      const browser = fetchBrowser();
      const landed = await browser.submitLogin(await browser.open(request.url), 'sbx-practitioner-2');
      assert.equal(landed.status, 200);
      await made.done;
      const [outcome] = outcomes;
      assert.ok(outcome?.kind === 'signed_in');
      assert.equal(outcome.grant.launch, 'ehr');
      assert.equal(outcome.grant.client.state.tokenResponse?.patient, 'sbx-patient-2');
      assert.equal(outcome.grant.client.state.tokenResponse?.encounter, 'sbx-encounter-2');
      assert.equal(made.isOn(launchListener), false, 'an ended attempt is on no listener');
      assert.equal(
        (await fetch(`${launchListener.origin}/callback?state=x&code=y`)).status,
        409,
        'the launch listener still answers: the ended attempt is no longer waiting',
      );
    });

    test('with EHR launch turned off by the time the endpoints are known: refused as launch_refused', async () => {
      const { made } = attempt({ ehr: { launch: 'L-1', listener: () => undefined } });
      await assert.rejects(
        made.start(),
        (e: unknown) => e instanceof SignInError && e.reason === 'auth.launch_not_on' && e.problem === 'launch_refused',
      );
    });
  });
});

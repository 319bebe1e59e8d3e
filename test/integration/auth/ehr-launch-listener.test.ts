/**
 * The EHR launch listener on real loopback ports: which launches it takes, where it sends the
 * browser, how it hands the authorization response to the waiting sign-in, and how it follows the
 * launch port setting. The sign-in itself is a stand-in here (see sign-in-attempt.test.ts).
 */
import assert from 'node:assert/strict';
import { afterEach, describe, test } from 'vitest';
import { createEhrLaunchListener } from '../../../main/auth/ehr-launch-listener.js';
import type { EhrLaunchListener, EhrLaunchListenerOptions } from '../../../main/auth/ehr-launch-listener.js';
import type { LoopbackListener } from '../../../main/auth/loopback-listener.js';
import type { SignInConfig } from '../../../main/auth/sign-in-config.js';
import type { SignInError } from '../../../main/auth/sign-in-error.js';
import { closedPort, recordingLogger } from '../../helpers/fhir-sandbox.js';

const EHR = 'https://ehr.example.org/fhir/R4';
const AUTHORIZE = 'https://ehr.example.org/oauth2/authorize?state=s';

describe('the EHR launch listener', () => {
  const running: EhrLaunchListener[] = [];
  afterEach(async () => {
    for (const l of running.splice(0)) await l.close();
  });

  /** A listener whose sign-ins are recorded: the launches it started, and what it abandoned. */
  function listen(config: SignInConfig, overrides: Partial<EhrLaunchListenerOptions> = {}) {
    const launches: string[] = [];
    const abandoned: { listener: LoopbackListener; why: SignInError }[] = [];
    let waitingOn: LoopbackListener | undefined;
    const logger = recordingLogger();
    let current = config;
    const made = createEhrLaunchListener({
      config: () => current,
      logger,
      launch: (launchId) => {
        launches.push(launchId);
        waitingOn = made.listener();
        return Promise.resolve(AUTHORIZE);
      },
      signInOn: (listener) =>
        listener === waitingOn
          ? {
              callback: () => Promise.resolve({ status: 200, html: 'handed to the sign-in' }),
              abandon: (why) => void abandoned.push({ listener, why }),
            }
          : undefined,
      ...overrides,
    });
    running.push(made);
    return { made, launches, abandoned, logger, configure: (next: Partial<SignInConfig>) => (current = { ...current, ...next }) };
  }

  const configured = (launchPort: number | null): SignInConfig => ({
    fhirBaseUrl: EHR,
    clientId: 'scribe',
    scope: 'openid fhirUser',
    launchPort,
  });
  const get = (url: string) => fetch(url, { redirect: 'manual' });

  test('a launch from the configured EHR starts a sign-in and sends the browser to its authorization URL; others are refused', async () => {
    const { made, launches, logger } = listen(configured(0));
    const launchUrl = await made.start();
    assert.match(launchUrl ?? '', /^http:\/\/127\.0\.0\.1:\d+\/launch$/);
    assert.equal(made.url(), launchUrl);
    assert.equal(made.listener()?.origin, launchUrl?.replace('/launch', ''));

    const foreign = await get(`${launchUrl}?iss=${encodeURIComponent('https://evil.example/fhir')}&launch=L-1`);
    assert.equal(foreign.status, 403);
    assert.equal((await get(`${launchUrl}?iss=${encodeURIComponent(EHR)}`)).status, 400, 'no launch id');
    assert.deepEqual(launches, []);
    assert.ok(logger.lines.some((l) => l.includes('auth.launch_refused') && l.includes('iss_not_configured')));

    const ours = await get(`${launchUrl}?iss=${encodeURIComponent(`${EHR}/`)}&launch=L-2`);
    assert.equal(ours.status, 302);
    assert.equal(ours.headers.get('location'), AUTHORIZE);
    assert.deepEqual(launches, ['L-2']);
  });

  test('the authorization response goes to the sign-in waiting on this listener; with none waiting, 409', async () => {
    const { made } = listen(configured(0));
    const launchUrl = (await made.start())!;
    const callback = launchUrl.replace('/launch', '/callback?state=s&code=c');
    assert.equal((await get(callback)).status, 409);
    await get(`${launchUrl}?iss=${encodeURIComponent(EHR)}&launch=L-3`);
    const handed = await get(callback);
    assert.equal(handed.status, 200);
    assert.match(await handed.text(), /handed to the sign-in/);
  });

  test('not set up for sign-in: a launch is answered 503; a sign-in that cannot start is answered 400 with safe words', async () => {
    const unset = listen({ ...configured(0), clientId: null });
    const url = (await unset.made.start())!;
    assert.equal((await get(`${url}?iss=${encodeURIComponent(EHR)}&launch=L-4`)).status, 503);

    const failing = listen(configured(0), { launch: () => Promise.reject(new Error('ECONNREFUSED 10.0.0.7')) });
    const failingUrl = (await failing.made.start())!;
    const answer = await get(`${failingUrl}?iss=${encodeURIComponent(EHR)}&launch=L-5`);
    assert.equal(answer.status, 400);
    const page = await answer.text();
    assert.match(page, /Sign-in could not start with this EHR\./);
    assert.doesNotMatch(page, /10\.0\.0\.7/);
  });

  test('the launch port follows the setting once started: the old port stops, and the sign-in waiting on it ends as launch_turned_off', async () => {
    const first = await closedPort();
    const { made, abandoned, configure } = listen(configured(first));
    made.settingsChanged(['fhirLaunchPort']);
    assert.equal(made.url(), null, 'nothing listens before start was asked for');

    const launchUrl = await made.start();
    assert.equal(launchUrl, `http://127.0.0.1:${first}/launch`);
    await get(`${launchUrl}?iss=${encodeURIComponent(EHR)}&launch=L-6`);
    const old = made.listener()!;

    const second = await closedPort();
    configure({ launchPort: second });
    made.settingsChanged(['updateChannel']);
    assert.equal(made.url(), launchUrl, 'other settings leave it alone');
    made.settingsChanged(['fhirLaunchPort']);
    for (let i = 0; i < 50 && made.url() !== `http://127.0.0.1:${second}/launch`; i += 1)
      await new Promise((resolve) => setTimeout(resolve, 20));
    assert.equal(made.url(), `http://127.0.0.1:${second}/launch`);
    assert.deepEqual(
      abandoned.map((a) => [a.listener, a.why.reason]),
      [[old, 'auth.launch_turned_off']],
    );
    await assert.rejects(get(launchUrl), 'the old port is closed');

    configure({ launchPort: null });
    assert.equal(await made.start(), null, 'turned off');
    assert.equal(made.url(), null);
  });

  test('once closed it stays closed', async () => {
    const { made } = listen(configured(0));
    const launchUrl = (await made.start())!;
    await made.close();
    await assert.rejects(get(launchUrl));
    assert.equal(await made.start(), null);
    assert.equal(made.url(), null);
  });
});

/**
 * Issue 7, the global start/stop shortcut, renderer side. Electron's globalShortcut cannot run here,
 * so the press arrives the way main delivers it: `app:shortcut` on the services' event bus, which the
 * web bridge streams to the page exactly as IPC forwards it to the window. The services and the web
 * bridge run in this process (the real composition root and event bus, no extra route), with a fake
 * desktop shell that says the accelerator is held by another program and records window raises.
 * Run: npx vitest run test/e2e/global-shortcut.spec.ts   (after `npm run build`)
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { startWebBridge } from '../../main/api/web-bridge.js';
import type { WebBridge } from '../../main/api/web-bridge.js';
import { openScribe } from '../../main/compose.js';
import type { Scribe } from '../../main/compose.js';
import { nullLogger } from '../../main/log/logger.js';
import { createPassphraseKeyProvider } from '../../main/store/passphrase-key-provider.js';
import { DEFAULT_GLOBAL_SHORTCUT } from '../../shared/domain/global-shortcut.js';
import { e2eSkipReason, openAppPage, ROOT, screenshot, TIMEOUT_MS } from '../helpers/e2e-web.js';
import { FAST_SCRYPT, tempDir } from '../helpers/temp-store.js';
import { skipWhen } from '../helpers/skip.js';

const actor = { id: 'dr.shortcut', role: 'clinician' } as const;
const ctx = { transport: 'cli', actor } as const;

describe('the global start/stop shortcut, delivered as app:shortcut', skipWhen(e2eSkipReason ?? false), () => {
  const tmp = tempDir('scribe-shortcut-');
  let scribe: Scribe;
  let bridge: WebBridge;
  let browser: Browser | undefined;
  let page: Page;
  let raises = 0;
  let withConsent = '';
  let withoutConsent = '';
  const seen = { console: [] as string[], errors: [] as string[] };

  const call = async <T>(channel: string, request: unknown): Promise<T> => {
    const result = await scribe.dispatch(channel, request, ctx);
    assert.ok(result.ok, `${channel}: ${JSON.stringify(result)}`);
    return result.value as T;
  };
  const capture = async (visitId: string) => (await call<{ capture: string; durationMs: number }>('capture:status', { visitId })).capture;
  const press = () => scribe.events.emit('app:shortcut', { action: 'toggleRecording' });
  /** Lets the renderer's "one press seen twice" window pass, as a person pressing again would. */
  const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
  const until = async (what: string, check: () => Promise<boolean>) => {
    const deadline = Date.now() + TIMEOUT_MS;
    while (!(await check())) {
      assert.ok(Date.now() < deadline, `timed out waiting for ${what}`);
      await pause(100);
    }
  };

  beforeAll(async () => {
    scribe = openScribe({
      dataDir: join(tmp.dir, 'store'),
      keyProvider: createPassphraseKeyProvider('shortcut passphrase', FAST_SCRYPT),
      mode: 'create',
      actorId: actor.id,
      desktop: {
        globalShortcutStatus: () => ({ state: 'in_use', accelerator: DEFAULT_GLOBAL_SHORTCUT }),
        raiseWindow: () => {
          raises += 1;
          return true;
        },
      },
    });
    withConsent = (await call<{ id: string }>('visit:create', { patientId: 'pat-key-1', patient: { displayName: 'Perpetua Kestrelwing' } }))
      .id;
    withoutConsent = (await call<{ id: string }>('visit:create', { patientId: 'pat-key-2', patient: { displayName: 'Ignatius Fernsby' } }))
      .id;
    await call('visit:recordConsent', { visitId: withConsent, method: 'verbal' });
    bridge = await startWebBridge({
      dispatch: scribe.dispatch,
      events: scribe.events,
      actor,
      staticDir: join(ROOT, 'dist', 'renderer'),
      packaged: false,
      logger: nullLogger,
    });
    ({ browser, page } = await openAppPage(seen, { fakeMedia: true }));
    await page.goto(bridge.url);
    await page.getByRole('heading', { level: 1 }).first().waitFor();
  });

  afterAll(async () => {
    await browser?.close().catch(() => undefined);
    await bridge?.close();
    scribe?.close();
    tmp.cleanup();
  });

  const openVisit = async (visitId: string, name: string) => {
    await page.evaluate(`window.location.hash = '#/visits/${visitId}'`);
    await page.getByRole('heading', { level: 1, name: `Visit: ${name}` }).waitFor();
    await page.getByRole('button', { name: 'Start recording' }).waitFor();
  };

  it('says when the global shortcut is unavailable because another program holds it', async () => {
    await openVisit(withConsent, 'Perpetua Kestrelwing');
    await page.getByText('is unavailable (in use by another program)').waitFor();
  });

  it('with consent recorded, a press starts recording and the next one stops it, without raising the window', async () => {
    press();
    await page.locator('.recording-phase-recording').waitFor();
    await until('the store to be recording', async () => (await capture(withConsent)) === 'recording');
    await until(
      'audio to be stored',
      async () => (await call<{ durationMs: number }>('capture:status', { visitId: withConsent })).durationMs >= 500,
    );
    await screenshot(page, 'global-shortcut-recording');
    press();
    await page.locator('.recording-phase-idle').waitFor();
    await until('the store to have stopped', async () => (await capture(withConsent)) === 'stopped');
    await page.getByText(/Recording finished: .* of audio stored/).waitFor();
    assert.equal(raises, 0, 'starting and stopping leave the other program in front');
  });

  it('without consent, a press starts nothing: it shows the consent step and asks for the window', async () => {
    await openVisit(withoutConsent, 'Ignatius Fernsby');
    await pause(500);
    press();
    await page.getByText('Record the patient’s consent before recording.').waitFor({ state: 'attached' });
    await until('the consent step to have focus', () =>
      page.evaluate<boolean>(`document.activeElement?.closest('form') !== null && document.activeElement?.tagName === 'INPUT'`),
    );
    await pause(500);
    assert.equal(await capture(withoutConsent), 'idle');
    assert.equal(raises, 1);
  });

  it('with no visit page open, a press shows the visits list and asks for the window', async () => {
    await page.evaluate(`window.location.hash = '#/settings'`);
    await page.getByRole('heading', { level: 1, name: 'Settings' }).waitFor();
    await page.getByText('is unavailable (in use by another program)').waitFor();
    await pause(500);
    press();
    await until('the visits list', async () => (await page.evaluate<string>('window.location.hash')) === '#/visits');
    assert.equal(raises, 2);
    assert.equal(await capture(withConsent), 'stopped');
    assert.equal(await capture(withoutConsent), 'idle');
    assert.deepEqual(seen.errors, []);
  });
});

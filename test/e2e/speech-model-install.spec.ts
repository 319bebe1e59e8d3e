/**
 * End to end, installing the speech model from Settings: IT's policy points downloads at a mirror
 * (here a local HTTP server serving the generated tiny Whisper, pinned by its own manifest). A file
 * whose SHA-256 does not match is refused and nothing is installed; once the mirror serves the right
 * bytes, Try again shows the download's progress bar and ends with the model installed.
 * Run: npx vitest run test/e2e/speech-model-install.spec.ts   (after `npm run build`)
 */
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import type { SpeechModelStatus } from '../../shared/domain/speech-model.js';
import type { WebServer, Workstation } from '../helpers/e2e-web.js';
import { createWorkstation, e2eSkipReason, openAppPage, screenshot, seriousAccessibilityIssues } from '../helpers/e2e-web.js';
import type { ModelMirror, TinyModelRelease } from '../helpers/model-mirror.js';
import { makeTinyModelRelease, startModelMirror } from '../helpers/model-mirror.js';
import { skipWhen } from '../helpers/skip.js';
import { tinyWhisperAvailable, TINY_WHISPER_MISSING } from '../helpers/tiny-whisper.js';

const skip = e2eSkipReason ?? (tinyWhisperAvailable ? false : TINY_WHISPER_MISSING);

describe('installing the speech model from Settings in the browser', skipWhen(skip), () => {
  let ws: Workstation;
  let web: WebServer;
  let release: TinyModelRelease;
  let mirror: ModelMirror;
  let browser: Browser | undefined;
  let page: Page;
  let modelsDir: string;
  const seen = { console: [] as string[], errors: [] as string[] };

  beforeAll(async () => {
    ws = await createWorkstation({ user: 'dr-models', role: 'clinician' });
    release = makeTinyModelRelease(ws.dataDir);
    mirror = await startModelMirror(release);
    modelsDir = join(ws.dataDir, 'models');
    const policy = join(ws.dataDir, 'policy.json');
    await writeFile(policy, JSON.stringify({ speechModelMirrorUrl: mirror.url }));
    web = await ws.web({ SCRIBE_POLICY_FILE: policy, SCRIBE_MODEL_MANIFEST: release.manifestFile, SCRIBE_MODELS_DIR: modelsDir });
    ({ browser, page } = await openAppPage(seen, { height: 900 }));
  });

  afterAll(async () => {
    await browser?.close().catch(() => undefined);
    await mirror?.close();
    await ws?.dispose();
  });

  const status = async () => ((await web.call('models:status', {})) as { value: SpeechModelStatus }).value;

  it('refuses a file whose hash does not match, then installs from the mirror with the progress shown', async () => {
    await page.goto(web.address.url);
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Settings', exact: true }).click();
    const panel = page.getByRole('region', { name: 'Speech model' });
    await panel.getByText('No speech model is installed, so visits cannot be transcribed on this computer.', { exact: false }).waitFor();
    await panel.getByText('downloaded from your organisation’s server', { exact: false }).waitFor();

    mirror.corrupt('onnx/decoder_model_merged.onnx');
    await panel.getByRole('button', { name: /^Install speech model \(\d+ MB\)$/ }).click();
    const alert = panel.getByRole('alert');
    await alert.getByText('The speech model was not installed.').waitFor();
    await alert.getByText('A downloaded file did not match the speech model this app trusts', { exact: false }).waitFor();
    assert.equal(await panel.getByText('Speech model installed', { exact: false }).count(), 0);
    const refused = await status();
    assert.equal(refused.pinnedInstalled, false);
    assert.equal(refused.install?.error?.reason, 'speech_model.file_mismatch');
    assert.equal(existsSync(join(modelsDir, 'test-org', 'whisper-tiny-test')), false, 'nothing was installed');
    // The file's name and the hashes are there for IT, behind the disclosure.
    await panel.getByText('Details for IT').click();
    await panel.getByText('speech_model.file_mismatch').waitFor();
    await panel.getByRole('cell', { name: 'onnx/decoder_model_merged.onnx' }).waitFor();
    assert.deepEqual(await seriousAccessibilityIssues(page), [], 'accessibility issues with the refusal shown');
    await screenshot(page, 'speech-model-refused');

    // The mirror now serves the right bytes, slowly enough to watch.
    mirror.heal();
    mirror.throttle(64 * 1024, 20);
    await panel.getByRole('button', { name: 'Try again' }).click();
    const bar = panel.getByRole('progressbar', { name: 'Speech model download' });
    await bar.waitFor();
    await panel.getByText(/^Installing the speech model: \d+ % \(\d+ MB of \d+ MB\)\.$/).waitFor();
    const max = Number(await bar.getAttribute('max'));
    assert.equal(
      max,
      release.files.reduce((n, f) => n + f.size, 0),
    );
    assert.ok(Number(await bar.getAttribute('value')) < max, 'the bar shows a download under way');
    await screenshot(page, 'speech-model-downloading');

    await panel.getByText('Speech model installed', { exact: false }).waitFor({ timeout: 60_000 });
    const installed = await status();
    assert.equal(installed.pinnedInstalled, true);
    assert.equal(installed.inUse?.name, 'whisper-tiny-test');
    assert.equal(installed.install?.state, 'installed');
    for (const file of release.files) assert.ok(existsSync(join(modelsDir, 'test-org', 'whisper-tiny-test', file.path)), file.path);
    assert.deepEqual(await seriousAccessibilityIssues(page), [], 'accessibility issues with the model installed');
    await screenshot(page, 'speech-model-installed');
    assert.deepEqual(seen.errors, []);
  });
});

import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import type { Browser, Page } from 'playwright-core';
import { CORPORA, parseCsv } from './speaker-labelling.js';
import type { TranscriptionLoopback, WebSession } from './visit-ui-support.js';
import {
  browserBenchUnavailable,
  CHROMIUM,
  CHROMIUM_ARGS,
  spokenPattern,
  startTranscriptionLoopback,
  startWebSession,
  writeWav16k,
} from './visit-ui-support.js';

/**
 * Issue 7's two browser figures, in real Chromium against `scribe web` on a temporary store:
 *
 * - Stop → draft shown, for a 10-minute visit with the offline drafter. The visit is brought to 10
 *   minutes into its recording through the API as the renderer would: consent, `capture:start`, then
 *   600 s of 16 kHz frames (espeak-ng speech with pauses, so the voice-activity detector closes
 *   segments) through `capture:append`, while live transcription sends each closed segment to a
 *   loopback OpenAI-compatible server that answers with the next turn of an ACI-Bench dialogue. Once
 *   the live transcript has caught up, the browser opens the visit, takes the recording over
 *   ("Continue recording here", the fake microphone speaking), and after 2 s clicks Stop. Measured
 *   from the click until "Draft ready" shows on the visit page (the automatic drafting after stop,
 *   main/visits/visit-pipeline.ts), and until the note's first sentence is on screen in Review
 *   (clicking "Review the note" as soon as it appears). Baseline in the same run: the same for a
 *   1-minute visit. Median of BENCH_UI_RUNS runs (default 3).
 * - The renderer's frames while recording with the live transcript running: a visit recorded from
 *   the fake microphone (espeak-ng speech, looping) with live transcription through the loopback,
 *   for BENCH_UI_FRAME_SECONDS (default 20): long animation frames (PerformanceObserver
 *   'long-animation-frame', frames over 50 ms) and the intervals between requestAnimationFrame
 *   callbacks (p50, p95, longest). Baseline: the same on the idle visits page.
 */

const SENTENCES = [
  'Good morning. What brings you in today?',
  'I have had a cough for about two weeks, mostly at night.',
  'Any fever or chills?',
  'No fever, but I get short of breath on the stairs.',
  'Are you taking any medications?',
  'Just lisinopril ten milligrams once a day.',
];

/** The turns of the longest ACI-Bench validation dialogue ("[doctor] …" lines), or the sentences above when it is absent. */
function dialogueTurns(): { turns: string[]; source: string } {
  const file = join(CORPORA, 'aci-bench', 'data', 'challenge_data', 'valid.csv');
  if (!existsSync(file)) return { turns: SENTENCES, source: 'built-in sentences (ACI-Bench not found)' };
  const [header, ...rows] = parseCsv(readFileSync(file, 'utf8'));
  const col = header!.indexOf('dialogue');
  const dialogues = rows
    .filter((r) => r.length > col)
    .map((r) =>
      r[col]!.split('\n')
        .map((l) => /^\[[a-z_]+\]\s*(.*)$/.exec(l.trim())?.[1] ?? '')
        .filter((t) => t !== ''),
    );
  dialogues.sort((a, b) => b.length - a.length);
  return { turns: dialogues[0]!, source: `ACI-Bench validation, its longest dialogue (${dialogues[0]!.length} turns)` };
}

const median = (xs: readonly number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length === 0 ? Number.NaN : s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};
const percentile = (xs: readonly number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length === 0 ? Number.NaN : s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)]!;
};
const round1 = (x: number) => Math.round(x * 10) / 10;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function until<T>(what: string, timeoutMs: number, check: () => Promise<T | undefined>): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(100);
  }
}

interface StatusLike {
  readonly state: string;
  readonly segmentsPending: number;
  readonly transcriptSegments: number;
}

let visitCount = 0;
async function newVisit(web: WebSession, name: string): Promise<string> {
  visitCount += 1;
  const visit = await web.call<{ id: string }>('visit:create', {
    patientId: `bench-pat-${visitCount}`,
    patient: { displayName: name, reasonForVisit: 'cough' },
  });
  await web.call('visit:recordConsent', { visitId: visit.id, method: 'verbal' });
  return visit.id;
}

/** A visit `seconds` into its recording, its live transcript caught up. */
async function visitInProgress(
  web: WebSession,
  audio: Int16Array,
  seconds: number,
): Promise<{ visitId: string; transcriptSegments: number }> {
  const visitId = await newVisit(web, `Bench Patient ${visitCount + 1}`);
  await web.call('capture:start', { visitId });
  const frame = 16_000;
  for (let seq = 0; seq < seconds; seq += 1) {
    const from = (seq * frame) % (audio.length - frame);
    const pcm = Buffer.from(audio.buffer, audio.byteOffset + from * 2, frame * 2).toString('base64');
    await web.call('capture:append', { visitId, seq, pcm });
  }
  // The voice-activity detector follows the stored audio and the engine follows the detector; in a
  // real visit both keep pace, so wait until every closed segment is transcribed and no more close.
  let closed = -1;
  let stableSince = performance.now();
  const status = await until('the live transcript to catch up', 180_000, async () => {
    const c = await web.call<{ segments: number }>('capture:status', { visitId });
    const s = await web.call<StatusLike & { segmentsDone: number }>('transcription:status', { visitId });
    if (c.segments !== closed) {
      closed = c.segments;
      stableSince = performance.now();
    }
    return performance.now() - stableSince > 2_000 && s.segmentsPending === 0 && s.segmentsDone >= c.segments ? s : undefined;
  });
  return { visitId, transcriptSegments: status.transcriptSegments };
}

async function openVisit(page: Page, web: WebSession, visitId: string): Promise<void> {
  await page.goto(`${web.origin}/#/visits/${visitId}`);
  await page.getByRole('heading', { level: 1, name: /^Visit: / }).waitFor();
}

/** Click Stop on a visit 10 (or 1) minutes in; ms until "Draft ready" and until the draft's text is in Review. */
async function stopToDraft(page: Page, web: WebSession, visitId: string): Promise<{ draftReadyMs: number; draftTextMs: number }> {
  await openVisit(page, web, visitId);
  await page.getByRole('button', { name: 'Continue recording here' }).click();
  await page.locator('.recording-phase-recording').waitFor();
  await sleep(2_000);
  const stop = page.getByRole('button', { name: 'Stop recording' });
  await stop.waitFor();
  const clicked = performance.now();
  await stop.click();
  await page.getByText('Draft ready: the note was drafted from the transcript.').waitFor({ timeout: 120_000 });
  const draftReadyMs = performance.now() - clicked;
  await page.getByRole('link', { name: 'Review the note' }).click();
  await page
    .getByRole('textbox', { name: /, sentence 1$/ })
    .first()
    .waitFor({ timeout: 60_000 });
  const draftTextMs = performance.now() - clicked;
  const visit = await web.call<{ state: string }>('visit:get', { id: visitId });
  if (visit.state !== 'draft_ready') throw new Error(`the visit is ${visit.state}, not draft_ready`);
  return { draftReadyMs, draftTextMs };
}

const OBSERVE_FRAMES = `(() => {
  const w = window;
  w.__benchFrames = { loaf: [], raf: [] };
  try {
    new PerformanceObserver((list) => { for (const e of list.getEntries()) w.__benchFrames.loaf.push(e.duration); }).observe({ type: 'long-animation-frame', buffered: false });
    w.__benchFrames.loafSupported = true;
  } catch { w.__benchFrames.loafSupported = false; }
  let last = performance.now();
  const tick = (now) => { w.__benchFrames.raf.push(now - last); last = now; if (!w.__benchFrames.done) requestAnimationFrame(tick); };
  requestAnimationFrame(tick);
})()`;

interface FrameFigures {
  readonly seconds: number;
  readonly longAnimationFramesSupported: boolean;
  readonly longAnimationFrames: number;
  readonly longestFrameMs: number;
  readonly rafIntervalMs: { readonly p50: number; readonly p95: number; readonly max: number; readonly frames: number };
}

async function observeFrames(page: Page, seconds: number): Promise<FrameFigures> {
  await page.evaluate(OBSERVE_FRAMES);
  await sleep(seconds * 1000);
  const got = await page.evaluate<{ loaf: number[]; raf: number[]; loafSupported: boolean }>(
    '(() => { window.__benchFrames.done = true; return window.__benchFrames; })()',
  );
  const raf = got.raf.slice(1);
  return {
    seconds,
    longAnimationFramesSupported: got.loafSupported,
    longAnimationFrames: got.loaf.length,
    longestFrameMs: round1(Math.max(0, ...got.loaf, ...raf)),
    rafIntervalMs: {
      p50: round1(percentile(raf, 50)),
      p95: round1(percentile(raf, 95)),
      max: round1(Math.max(0, ...raf)),
      frames: raf.length,
    },
  };
}

export async function benchVisitUi(): Promise<Record<string, unknown> | string> {
  const unavailable = browserBenchUnavailable();
  if (unavailable) return `not measured: ${unavailable}`;
  const runs = Number.parseInt(process.env['BENCH_UI_RUNS'] ?? '3', 10);
  const frameSeconds = Number.parseInt(process.env['BENCH_UI_FRAME_SECONDS'] ?? '20', 10);
  const started = performance.now();
  const { turns, source } = dialogueTurns();
  let loopback: TranscriptionLoopback | undefined;
  let web: WebSession | undefined;
  let browser: Browser | undefined;
  const scratch = mkdtempSync(join(tmpdir(), 'scribe-bench-ui-files-'));
  try {
    loopback = await startTranscriptionLoopback(turns);
    const audio = await spokenPattern(SENTENCES);
    writeFileSync(
      join(scratch, 'policy.json'),
      JSON.stringify({ openaiBaseUrls: [loopback.baseUrl], transcriptionEngines: ['openai', 'local'] }),
    );
    web = await startWebSession({
      SCRIBE_POLICY_FILE: join(scratch, 'policy.json'),
      SCRIBE_ASR_ENGINE: 'openai',
      SCRIBE_ASR_BASE_URL: loopback.baseUrl,
      SCRIBE_ASR_MAX_RETRIES: '0',
      // The offline drafter: no language model configured (blank counts as unset).
      OPENAI_API_KEY: '',
      SCRIBE_LLM_BASE_URL: '',
      AZURE_OPENAI_ENDPOINT: '',
      AZURE_OPENAI_TRANSCRIPTION_DEPLOYMENT: '',
    });
    const micFile = join(scratch, 'microphone.wav');
    writeWav16k(micFile, audio);
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      headless: true,
      args: [
        ...CHROMIUM_ARGS,
        '--use-fake-ui-for-media-stream',
        '--use-fake-device-for-media-stream',
        `--use-file-for-fake-audio-capture=${micFile}`,
        '--autoplay-policy=no-user-gesture-required',
      ],
    });
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    context.setDefaultTimeout(30_000);
    const page = await context.newPage();
    await page.goto(web.url);
    await page.getByRole('heading', { level: 1 }).first().waitFor();

    // Frames: the idle visits page first (baseline), then a recording with the live transcript running.
    const idle = await observeFrames(page, frameSeconds);
    const recordedId = await newVisit(web, 'Bench Frames');
    await openVisit(page, web, recordedId);
    await page.getByRole('button', { name: 'Start recording' }).click();
    await page.locator('.recording-phase-recording').waitFor();
    const uploadsBefore = loopback.uploads();
    const recording = await observeFrames(page, frameSeconds);
    const liveSegments = loopback.uploads() - uploadsBefore;
    await page.getByRole('button', { name: 'Stop recording' }).click();
    await page.getByText(/Recording finished/).waitFor({ timeout: 60_000 });

    const tenMinutes: { draftReadyMs: number; draftTextMs: number }[] = [];
    const oneMinute: { draftReadyMs: number; draftTextMs: number }[] = [];
    let segmentsTen = 0;
    let segmentsOne = 0;
    let setupMs = 0;
    for (let run = 0; run < runs; run += 1) {
      const setupStart = performance.now();
      const ten = await visitInProgress(web, audio, 600);
      setupMs += performance.now() - setupStart;
      segmentsTen = ten.transcriptSegments;
      tenMinutes.push(await stopToDraft(page, web, ten.visitId));
      const one = await visitInProgress(web, audio, 60);
      segmentsOne = one.transcriptSegments;
      oneMinute.push(await stopToDraft(page, web, one.visitId));
    }
    const summary = (xs: { draftReadyMs: number; draftTextMs: number }[]) => ({
      draftReadyShownMs: Math.round(median(xs.map((x) => x.draftReadyMs))),
      draftTextInReviewMs: Math.round(median(xs.map((x) => x.draftTextMs))),
      runsMs: xs.map((x) => [Math.round(x.draftReadyMs), Math.round(x.draftTextMs)]),
    });
    return {
      stopToDraftShown: {
        flow: 'click Stop recording → automatic drafting after the transcript is final (offline drafter) → "Draft ready" on the visit page → note text in Review',
        transcript: source,
        tenMinuteVisit: { ...summary(tenMinutes), transcriptSegmentsBeforeStop: segmentsTen },
        baselineOneMinuteVisit: { ...summary(oneMinute), transcriptSegmentsBeforeStop: segmentsOne },
        runs,
        setupOfTenMinuteVisitMs: Math.round(setupMs / runs),
      },
      framesWhileRecording: { ...recording, liveTranscriptSegmentsDuring: liveSegments },
      baselineFramesIdleVisitsPage: idle,
      ms: Math.round(performance.now() - started),
    };
  } catch (error) {
    // Said in the report rather than thrown, so the other modules' figures still print.
    return `failed: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}`;
  } finally {
    await browser?.close().catch(() => undefined);
    await web?.stop();
    await loopback?.close();
    rmSync(scratch, { recursive: true, force: true });
  }
}

if (process.argv[1]?.endsWith('visit-ui.js')) process.stdout.write(`${JSON.stringify(await benchVisitUi(), null, 2)}\n`);

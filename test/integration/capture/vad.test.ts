import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, test } from 'vitest';
import { VadUnavailableError } from '../../../main/capture/capture-errors.js';
import { loadSileroVad, SILERO_WINDOW } from '../../../main/capture/silero-vad.js';
import { findSileroModel, SILERO_MODEL_FILE, sileroModelCandidates } from '../../../main/capture/vad-model-path.js';
import { createVadProvider } from '../../../main/capture/vad-provider.js';
import type { VadProvider } from '../../../main/capture/vad-provider.js';
import { nullLogger } from '../../../main/log/logger.js';
import type { CaptureStatus, SpeechSegment } from '../../../shared/domain/capture.js';
import type { CaptureHarness } from '../../helpers/capture-harness.js';
import { clinician, memoryLogger, openCaptureHarness } from '../../helpers/capture-harness.js';
import { tempDir } from '../../helpers/temp-store.js';
import { espeak, espeakAvailable, ESPEAK_MISSING, pcm16Samples, wavHeaderFor } from '../../helpers/wav-fixtures.js';
import { skipWhen } from '../../helpers/skip.js';

async function streamToBuffer(stream: NodeJS.ReadableStream): Promise<Buffer> {
  const parts: Buffer[] = [];
  for await (const part of stream) parts.push(part as Buffer);
  return Buffer.concat(parts);
}

describe('Silero VAD model', () => {
  test('ships with the app and runs with onnxruntime-node: silence scores low', async () => {
    const path = findSileroModel();
    assert.ok(path.endsWith(SILERO_MODEL_FILE) && existsSync(path));
    const model = await loadSileroVad(path);
    try {
      assert.equal(model.windowSamples, SILERO_WINDOW);
      const stream = model.createStream();
      for (let i = 0; i < 10; i += 1) assert.ok((await stream.probability(new Float32Array(SILERO_WINDOW))) < 0.1);
      await assert.rejects(stream.probability(new Float32Array(100)), RangeError);
    } finally {
      await model.release();
    }
  });

  test('is found in a packaged app without the package on the module path, and never looked for on the network', () => {
    const tmp = tempDir('scribe-resources-');
    try {
      const packaged = join(tmp.dir, 'app.asar.unpacked', 'node_modules', '@ricky0123', 'vad-web', 'dist');
      mkdirSync(packaged, { recursive: true });
      writeFileSync(join(packaged, SILERO_MODEL_FILE), 'model');
      assert.ok(sileroModelCandidates({ resourcesPath: tmp.dir }).includes(join(packaged, SILERO_MODEL_FILE)));
      assert.ok(sileroModelCandidates().every((candidate) => !/^https?:/.test(candidate)));
      assert.equal(findSileroModel({ override: join(packaged, SILERO_MODEL_FILE) }), join(packaged, SILERO_MODEL_FILE));
      assert.throws(
        () => findSileroModel({ override: join(tmp.dir, 'missing.onnx') }),
        (error: unknown) => error instanceof VadUnavailableError && error.reason === 'vad.model_missing',
      );
    } finally {
      tmp.cleanup();
    }
  });

  test('a damaged model file is a clear "unavailable" error', async () => {
    const tmp = tempDir('scribe-badmodel-');
    try {
      writeFileSync(join(tmp.dir, 'bad.onnx'), 'not a model');
      await assert.rejects(
        loadSileroVad(join(tmp.dir, 'bad.onnx')),
        (error: unknown) => error instanceof VadUnavailableError && error.reason === 'vad.model_unloadable',
      );
    } finally {
      tmp.cleanup();
    }
  });
});

/** Where a WAV's samples rise above the noise floor: the speech espeak-ng actually produced. */
function speechSpans(samples: Int16Array, rate: number): { startMs: number; endMs: number }[] {
  const spans: { startMs: number; endMs: number }[] = [];
  const hop = Math.round(rate / 100);
  let start = -1;
  let lastLoud = -1;
  for (let i = 0; i + hop <= samples.length; i += hop) {
    let peak = 0;
    for (let k = i; k < i + hop; k += 1) peak = Math.max(peak, Math.abs(samples[k]!));
    if (peak > 300) {
      if (start < 0) start = i;
      lastLoud = i + hop;
    } else if (start >= 0 && i - lastLoud > rate * 0.8) {
      spans.push({ startMs: Math.round((start / rate) * 1000), endMs: Math.round((lastLoud / rate) * 1000) });
      start = -1;
    }
  }
  if (start >= 0) spans.push({ startMs: Math.round((start / rate) * 1000), endMs: Math.round((lastLoud / rate) * 1000) });
  return spans;
}

describe('speech segmentation on spoken audio', skipWhen(espeakAvailable ? false : ESPEAK_MISSING), () => {
  const tmp = tempDir('scribe-vad-');
  let vad: VadProvider;
  let h: CaptureHarness;
  let fixture: string;
  let truth: { startMs: number; endMs: number }[];
  let imported: SpeechSegment[];

  beforeAll(() => {
    // Two utterances with 2 s of silence between them, 1 s before and after, at espeak's 22,050 Hz.
    espeak(join(tmp.dir, 'a.wav'), 'Good morning. I have had a headache for three days, mostly in the mornings.');
    espeak(join(tmp.dir, 'b.wav'), 'Any nausea or changes in your vision?');
    const a = pcm16Samples(readFileSync(join(tmp.dir, 'a.wav')));
    const b = pcm16Samples(readFileSync(join(tmp.dir, 'b.wav')));
    const rate = 22_050;
    const all = new Int16Array(rate + a.length + 2 * rate + b.length + rate);
    all.set(a, rate);
    all.set(b, rate + a.length + 2 * rate);
    fixture = join(tmp.dir, 'visit.wav');
    writeFileSync(
      fixture,
      Buffer.concat([wavHeaderFor({ sampleRate: rate, channels: 1, encoding: 'pcm16' }, all.length), Buffer.from(all.buffer)]),
    );
    truth = speechSpans(all, rate);
    assert.equal(truth.length, 2, 'the fixture holds two utterances');
    vad = createVadProvider(() => loadSileroVad(findSileroModel()), nullLogger);
    h = openCaptureHarness({ vad });
  });
  afterAll(async () => {
    h.cleanup();
    await vad.release();
    tmp.cleanup();
  });

  test('an imported recording gets one segment around each utterance, none in the silences', async () => {
    const visit = await h.newVisit();
    const summary = await h.scribe.capture.importFile(visit.id, fixture, clinician);
    assert.equal(summary.sourceSampleRate, 22_050);
    const result = await h.call<{ segments: SpeechSegment[]; complete: boolean }>('capture:segments', { visitId: visit.id });
    imported = result.segments;
    assert.equal(result.complete, true);
    assert.equal(imported.length, 2, `segments ${JSON.stringify(imported)} for speech ${JSON.stringify(truth)}`);
    imported.forEach((segment, i) => {
      const speech = truth[i]!;
      assert.ok(
        segment.startMs <= speech.startMs + 100 && segment.startMs >= speech.startMs - 400,
        `segment ${i} starts at ${segment.startMs}, speech at ${speech.startMs}`,
      );
      assert.ok(
        segment.endMs >= speech.endMs - 150 && segment.endMs <= speech.endMs + 600,
        `segment ${i} ends at ${segment.endMs}, speech at ${speech.endMs}`,
      );
    });
    assert.ok(imported[0]!.endMs < truth[1]!.startMs - 1000, 'the silence between the utterances is no speech');
  });

  test('while recording, segments arrive as the audio does, and closed ones never change', async () => {
    const source = await h.newVisit();
    await h.scribe.capture.importFile(source.id, fixture, clinician);
    const pcm = (await streamToBuffer(h.scribe.capture.openAudio(source.id, clinician).stream)).subarray(44);

    const visit = await h.newVisit();
    const events: SpeechSegment[] = [];
    const unsubscribe = h.scribe.events.subscribeAll((event, payload) => {
      const p = payload as SpeechSegment & { visitId: string };
      if (event === 'capture:segment' && p.visitId === visit.id) events.push({ index: p.index, startMs: p.startMs, endMs: p.endMs });
    });
    await h.call('capture:start', { visitId: visit.id });
    const firstEnd = truth[0]!.endMs;
    let seq = 0;
    let beforeSecondUtterance: SpeechSegment[] = [];
    for (let at = 0; at < pcm.length; at += 3200) {
      await h.call('capture:append', { visitId: visit.id, seq: seq++, pcm: pcm.subarray(at, at + 3200).toString('base64') });
      if (at / 32 === Math.floor((firstEnd + 1500) / 100) * 100) {
        // 1.5 s after the first utterance ended, during the pause: it must be a closed segment already.
        await waitFor(() => events.length >= 1);
        beforeSecondUtterance = [...events];
      }
    }
    assert.equal(beforeSecondUtterance.length, 1, 'the first segment closed while recording went on');
    const stopped = await h.call<CaptureStatus>('capture:stop', { visitId: visit.id });
    unsubscribe();
    assert.equal(stopped.segmentsComplete, true);
    const stored = (await h.call<{ segments: SpeechSegment[] }>('capture:segments', { visitId: visit.id })).segments;
    assert.deepEqual(stored.slice(0, 1), beforeSecondUtterance, 'the segment announced early is the one kept');
    assert.deepEqual(events, stored, 'every stored segment was announced once, in order');
    assert.deepEqual(stored, imported, 'frame by frame or imported at once, the same audio gives the same segments');
    const later = (await h.call<{ segments: SpeechSegment[] }>('capture:segments', { visitId: visit.id, afterIndex: 0 })).segments;
    assert.deepEqual(later, stored.slice(1));
  });
});

async function waitFor(condition: () => boolean, ms = 5000): Promise<void> {
  const until = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > until) return;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

describe('without a voice-activity model', () => {
  test('recording still works; segments wait, and the reason is logged without detail', async () => {
    const logger = memoryLogger();
    const broken = createVadProvider(() => Promise.reject(new Error('/secret/path/libonnxruntime.so: cannot open')), logger);
    const h = openCaptureHarness({ vad: broken });
    try {
      const visit = await h.newVisit();
      await h.call('capture:start', { visitId: visit.id });
      await h.call('capture:append', { visitId: visit.id, seq: 0, pcm: Buffer.alloc(3200, 1).toString('base64') });
      const status = await h.call<CaptureStatus>('capture:stop', { visitId: visit.id });
      assert.deepEqual([status.durationMs, status.vad, status.segments, status.segmentsComplete], [100, 'unavailable', 0, false]);
      assert.deepEqual(await h.call('capture:segments', { visitId: visit.id }), { segments: [], complete: false });
      assert.ok(logger.lines.some((l) => l.includes('capture.vad_unavailable')));
      assert.ok(!logger.lines.join('\n').includes('/secret/path'));
    } finally {
      h.cleanup();
    }
  });
});

import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { afterAll, beforeAll, describe, test } from 'vitest';
import { AsrError } from '../../../main/asr/asr-error.js';
import { createLocalWhisperEngine } from '../../../main/asr/local-whisper-engine.js';
import { findWhisperModels, modelsSearchPath, resolveWhisperModel } from '../../../main/asr/models-dir.js';
import { memoryLogger } from '../../helpers/capture-harness.js';
import { tempDir } from '../../helpers/temp-store.js';
import { makeTinyWhisper, tinyWhisperAvailable, TINY_WHISPER_MISSING } from '../../helpers/tiny-whisper.js';
import { skipWhen } from '../../helpers/skip.js';

/** A tone with a syllable-like rise and fall, and a little noise. */
function speechLike(seconds: number, seed = 1): Int16Array {
  let x = seed;
  return Int16Array.from({ length: Math.round(seconds * 16_000) }, (_, i) => {
    x = (x * 1103515245 + 12345) & 0x7fffffff;
    const envelope = 0.55 + 0.45 * Math.sin((2 * Math.PI * 4 * i) / 16_000);
    return Math.round(6000 * envelope * Math.sin((2 * Math.PI * 180 * i) / 16_000) + 300 * (x / 0x7fffffff - 0.5));
  });
}

describe('models folder', () => {
  test('no model installed: "model not installed", the folders looked in, and the command that fixes it', () => {
    const tmp = tempDir('scribe-models-empty-');
    try {
      assert.throws(
        () => createLocalWhisperEngine({ modelsDirs: [tmp.dir], logger: memoryLogger() }),
        (e: unknown) =>
          e instanceof AsrError &&
          e.failure === 'model_not_installed' &&
          e.message.includes(tmp.dir) &&
          /npm run models:fetch/.test(e.message) &&
          /SCRIBE_MODELS_DIR/.test(e.message),
      );
    } finally {
      tmp.cleanup();
    }
  });

  test("--models-dir / SCRIBE_MODELS_DIR replace the default folders; otherwise the per-user folder and a packaged app's resources", () => {
    assert.deepEqual(modelsSearchPath({ modelsDir: '/opt/models', env: { SCRIBE_MODELS_DIR: '/elsewhere' } }), ['/opt/models']);
    assert.deepEqual(modelsSearchPath({ env: { SCRIBE_MODELS_DIR: '/elsewhere' } }), ['/elsewhere']);
    const dirs = modelsSearchPath({ env: { XDG_CONFIG_HOME: '/home/u/.config' }, resourcesPath: '/opt/Ambient Scribe/resources' });
    assert.deepEqual(dirs, ['/home/u/.config/Ambient Scribe/models', '/opt/Ambient Scribe/resources/models']);
  });
});

describe('local Whisper engine on a generated tiny model', skipWhen(tinyWhisperAvailable ? false : TINY_WHISPER_MISSING), () => {
  const tmp = tempDir('scribe-tiny-whisper-');
  const logger = memoryLogger();
  let scripted: ReturnType<typeof createLocalWhisperEngine>;

  beforeAll(() => {
    makeTinyWhisper(join(tmp.dir, 'random'), 'tiny-random');
    makeTinyWhisper(join(tmp.dir, 'scripted'), 'tiny-scripted', { script: '0.00>Why not?<1.00|1.20>Yes!<2.00' });
    makeTinyWhisper(join(tmp.dir, 'loop'), 'tiny-loop', { script: '0.00> Thanks.<1.00', loop: true });
    // The Hub's owner/name layout, as models:fetch writes it.
    makeTinyWhisper(join(tmp.dir, 'hub', 'onnx-community'), 'whisper-tiny-test');
    scripted = createLocalWhisperEngine({ modelsDirs: [join(tmp.dir, 'scripted')], logger });
  });
  afterAll(async () => {
    await scripted.close();
    tmp.cleanup();
  });

  test('the generated model is found in both layouts, with the dtype its files give', () => {
    assert.deepEqual(
      findWhisperModels(join(tmp.dir, 'hub')).map((m) => [m.id, m.dtype.encoder_model, m.dtype.decoder_model_merged]),
      [['onnx-community/whisper-tiny-test', 'fp32', 'fp32']],
    );
    assert.equal(resolveWhisperModel([join(tmp.dir, 'random')]).id, 'tiny-random');
  });

  test('random weights: load, features, decoding and timestamps run for real; output stays inside each segment', async () => {
    const engine = createLocalWhisperEngine({ modelsDirs: [join(tmp.dir, 'random')], logger });
    try {
      assert.equal(engine.name, 'local');
      assert.equal(engine.model, 'tiny-random');
      const inputs = [
        { id: 'a0', startMs: 1_000, pcm: speechLike(2.5) },
        { id: 'a1', startMs: 7_000, pcm: speechLike(4, 7) },
      ];
      const progress: string[] = [];
      const out = await engine.transcribe(inputs, { onProgress: (p) => progress.push(p.phase) });
      assert.deepEqual(progress, ['loading', 'transcribing', 'transcribing']);
      assert.ok(out.length >= 1);
      for (const s of out) {
        const input = inputs.find((i) => i.id === s.inputId)!;
        const end = input.startMs + (input.pcm.length / 16_000) * 1000;
        assert.ok(
          s.startMs >= input.startMs && s.endMs <= end && s.startMs <= s.endMs,
          `${s.startMs}-${s.endMs} outside ${input.startMs}-${end}`,
        );
        assert.equal(typeof s.text, 'string');
        assert.ok(s.confidence !== undefined && s.confidence >= 0 && s.confidence <= 1);
        assert.ok(s.noSpeechProb !== undefined && s.noSpeechProb >= 0 && s.noSpeechProb <= 1);
      }
    } finally {
      await engine.close();
    }
  });

  test("timestamp stitching: the decoder's times land on the visit's timeline, clipped to the audio", async () => {
    const out = await scripted.transcribe([
      { id: 'a3', startMs: 5_000, pcm: speechLike(3) },
      // Shorter than the scripted 2.0 s: the second phrase is clipped to the audio's end.
      { id: 'a4', startMs: 9_000, pcm: speechLike(1.5) },
    ]);
    assert.deepEqual(
      out.map((s) => [s.inputId, s.startMs, s.endMs, s.text]),
      [
        ['a3', 5_000, 6_000, 'Why not?'],
        ['a3', 6_200, 7_000, 'Yes!'],
        ['a4', 9_000, 10_000, 'Why not?'],
        ['a4', 10_200, 10_500, 'Yes!'],
      ],
    );
    assert.ok(out.every((s) => s.confidence! > 0.99 && s.hitTokenLimit === false));
  });

  test('the vocabulary prompt conditions the decoder but never appears in the text', async () => {
    const out = await scripted.transcribe([{ id: 'a0', startMs: 0, pcm: speechLike(3) }], {
      prompt: 'Medications: metoprolol, lisinopril.',
    });
    assert.deepEqual(
      out.map((s) => s.text),
      ['Why not?', 'Yes!'],
    );
  });

  test('audio longer than 30 s is read in windows cut at pauses; times stay in order', async () => {
    const pcm = speechLike(70);
    for (const pause of [27, 52]) pcm.fill(0, pause * 16_000, (pause + 1) * 16_000);
    const out = await scripted.transcribe([{ id: 'a7', startMs: 100_000, pcm }]);
    assert.equal(out.length, 6, 'three windows, two phrases each');
    const starts = out.filter((s) => s.text === 'Why not?').map((s) => s.startMs);
    // Each window starts in the pause that cut it.
    assert.equal(starts[0], 100_000);
    assert.ok(starts[1]! >= 127_000 && starts[1]! <= 128_000, String(starts[1]));
    assert.ok(starts[2]! >= 152_000 && starts[2]! <= 153_000, String(starts[2]));
    assert.deepEqual(
      [...out].sort((a, b) => a.startMs - b.startMs),
      out,
    );
  });

  test('decoding runs off the main thread: it goes on while the main thread is busy, and the event loop stays free', async () => {
    const engine = createLocalWhisperEngine({ modelsDirs: [join(tmp.dir, 'loop')], logger });
    try {
      const input = () => [{ id: 'a0', startMs: 0, pcm: speechLike(29) }];
      await engine.transcribe([{ id: 'warm', startMs: 0, pcm: speechLike(1) }]);
      // How long one decode takes with the main thread idle (the loop model always decodes to its token limit).
      let started = performance.now();
      await engine.transcribe(input());
      const alone = performance.now() - started;

      // The same decode while the main thread is blocked solid: on the main thread the two would add
      // up (transformers.js runs its decoding loop in JS between model calls); in a worker they overlap.
      const blockMs = Math.max(400, alone);
      started = performance.now();
      const pending = engine.transcribe(input());
      // Let the job reach the worker (it is posted a few microtasks in), then block.
      await new Promise((resolve) => setImmediate(resolve));
      const until = performance.now() + blockMs;
      while (performance.now() < until) {
        // busy: no timers, no I/O, no messages handled on this thread
      }
      await pending;
      const together = performance.now() - started;
      assert.ok(
        together < alone + blockMs * 0.6,
        `decode ${alone.toFixed(0)} ms alone, ${together.toFixed(0)} ms beside ${blockMs.toFixed(0)} ms of main-thread work`,
      );

      const delay = monitorEventLoopDelay({ resolution: 5 });
      delay.enable();
      await engine.transcribe(input());
      delay.disable();
      assert.ok(delay.percentile(99) / 1e6 < 60, `event-loop delay p99 ${(delay.percentile(99) / 1e6).toFixed(1)} ms while decoding`);
    } finally {
      await engine.close();
    }
  });

  test('a decoder stuck in a loop hits its token limit and says so', async () => {
    const engine = createLocalWhisperEngine({ modelsDirs: [join(tmp.dir, 'loop')], logger });
    try {
      const out = await engine.transcribe([{ id: 'a0', startMs: 0, pcm: speechLike(3) }]);
      assert.ok(out.length >= 1 && out.every((s) => s.hitTokenLimit === true));
      assert.match(out.map((s) => s.text).join(' '), /(Thanks\. ){3,}/);
    } finally {
      await engine.close();
    }
  });

  test('cancellation stops a decode in progress; the engine works again afterwards', async () => {
    const engine = createLocalWhisperEngine({ modelsDirs: [join(tmp.dir, 'loop')], logger });
    try {
      await engine.transcribe([{ id: 'warm', startMs: 0, pcm: speechLike(1) }]);
      const controller = new AbortController();
      const pending = engine.transcribe(
        Array.from({ length: 6 }, (_, i) => ({ id: `a${i}`, startMs: i * 30_000, pcm: speechLike(28, i) })),
        { signal: controller.signal },
      );
      setTimeout(() => controller.abort(), 50);
      const started = performance.now();
      await assert.rejects(pending, (e: unknown) => e instanceof AsrError && e.failure === 'cancelled');
      assert.ok(performance.now() - started < 2_000, 'stopped promptly');
      const again = await engine.transcribe([{ id: 'b0', startMs: 0, pcm: speechLike(1) }]);
      assert.ok(again.length >= 1);
    } finally {
      await engine.close();
    }
  });

  test('a decode that exceeds its time limit is stopped as stuck', async () => {
    const engine = createLocalWhisperEngine({ modelsDirs: [join(tmp.dir, 'loop')], logger, timeout: { baseMs: 1, perAudioSecondMs: 0 } });
    try {
      await assert.rejects(
        engine.transcribe([{ id: 'a0', startMs: 0, pcm: speechLike(20) }]),
        (e: unknown) => e instanceof AsrError && e.failure === 'timeout',
      );
    } finally {
      await engine.close();
    }
  });

  test('a worker that dies is reported and replaced on the next call', async () => {
    const crashDir = join(tmp.dir, 'crash');
    mkdirSync(crashDir, { recursive: true });
    const crashing = join(crashDir, 'crashing-worker.mjs');
    writeFileSync(
      crashing,
      "import { parentPort } from 'node:worker_threads';\nparentPort.postMessage({ type: 'ready', timestamps: true, multilingual: false });\nparentPort.on('message', () => process.exit(3));\n",
    );
    const engine = createLocalWhisperEngine({ modelsDirs: [join(tmp.dir, 'random')], logger, workerUrl: new URL(`file://${crashing}`) });
    try {
      await assert.rejects(
        engine.transcribe([{ id: 'a0', startMs: 0, pcm: speechLike(1) }]),
        (e: unknown) => e instanceof AsrError && e.failure === 'engine_failed' && e.retryable,
      );
      await assert.rejects(
        engine.transcribe([{ id: 'a0', startMs: 0, pcm: speechLike(1) }]),
        (e: unknown) => e instanceof AsrError && e.failure === 'engine_failed',
      );
      assert.ok(
        logger.lines.filter((l) => l.includes('asr.local_worker_stopped')).length >= 2,
        'a new worker was started for the second call',
      );
    } finally {
      await engine.close();
    }
  });

  test('a damaged model file is a clear "could not be loaded" error naming the folder', async () => {
    const damaged = makeTinyWhisper(join(tmp.dir, 'damaged'), 'tiny-damaged');
    writeFileSync(join(damaged, 'onnx', 'decoder_model_merged.onnx'), 'not an onnx model');
    const engine = createLocalWhisperEngine({ modelsDirs: [join(tmp.dir, 'damaged')], logger });
    try {
      await assert.rejects(
        engine.transcribe([{ id: 'a0', startMs: 0, pcm: speechLike(1) }]),
        (e: unknown) => e instanceof AsrError && e.failure === 'model_invalid' && e.message.includes(damaged),
      );
    } finally {
      await engine.close();
    }
  });

  test('no transcript text reaches the logs', () => {
    assert.doesNotMatch(logger.lines.join('\n'), /Why not|Yes!|Thank you|metoprolol/);
    assert.match(logger.lines.join('\n'), /asr\.local_model_loaded/);
  });
});

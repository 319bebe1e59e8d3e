import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { packageRoot } from '../main/kernel/app-identity.js';
import type { RecognizedSegment, SpeechInput, TranscriptionEngine } from '../main/asr/engine.js';
import { createLocalWhisperEngine } from '../main/asr/local-whisper-engine.js';
import { findWhisperModels, modelDisplayName, modelsSearchPath } from '../main/asr/models-dir.js';
import { createVadProvider } from '../main/capture/vad-provider.js';
import type { VadModel } from '../main/capture/silero-vad.js';
import { openAudioSource } from '../main/capture/wav-file-source.js';
import { openScribe } from '../main/compose.js';
import { nullLogger } from '../main/log/logger.js';
import { createPassphraseKeyProvider } from '../main/store/passphrase-key-provider.js';
import type { TranscriptionStatus } from '../shared/domain/transcription.js';
import { benchSpeakerLabelling } from './speaker-labelling.js';

/**
 * Transcription figures:
 * - real-time factor (processing time ÷ audio time, lower is faster) of the local engine for every
 *   Whisper model installed in the models folder, on espeak-ng speech when it is installed;
 * - the same for the tiny model the tests generate: plumbing only (worker, features, decoding), its
 *   output is noise and its speed says nothing about a real model;
 * - the transcription queue's own cost per speech segment (reading the stored audio, the
 *   hallucination guard, speaker labelling, encrypted storage, events), with an engine that answers
 *   at once;
 * - speaker-labelling accuracy on the corpora.
 */

const speechSample = (i: number) =>
  Math.round(6000 * (0.55 + 0.45 * Math.sin((2 * Math.PI * 4 * i) / 16_000)) * Math.sin((2 * Math.PI * 180 * i) / 16_000));

async function speechAudio(seconds: number): Promise<{ pcm: Int16Array; source: string }> {
  const dir = mkdtempSync(join(tmpdir(), 'scribe-bench-asr-'));
  try {
    const text =
      'Good morning. What brings you in today? I have had a cough for about two weeks, mostly at night, and some shortness of breath when I climb stairs. ' +
      'Any fever or chills? No fever. Are you taking any medications? Just lisinopril ten milligrams once a day and metformin. ';
    const file = join(dir, 'speech.wav');
    const made = spawnSync('espeak-ng', ['-w', file, '-s', '160', text.repeat(4)], { encoding: 'utf8' });
    if (made.status === 0) {
      const source = await openAudioSource(file);
      const parts: Int16Array[] = [];
      for await (const block of source.blocks()) parts.push(Int16Array.from(block));
      await source.close();
      const all = new Int16Array(parts.reduce((n, p) => n + p.length, 0));
      let at = 0;
      for (const p of parts) {
        all.set(p, at);
        at += p.length;
      }
      return { pcm: all.subarray(0, Math.min(all.length, seconds * 16_000)), source: 'espeak-ng speech' };
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return {
    pcm: Int16Array.from({ length: seconds * 16_000 }, (_, i) => speechSample(i)),
    source: 'synthetic speech-like tone (espeak-ng not installed)',
  };
}

/** ~25 s segments, as the voice-activity detector closes them. */
function segmentsOf(pcm: Int16Array): SpeechInput[] {
  const inputs: SpeechInput[] = [];
  for (let at = 0, i = 0; at < pcm.length; at += 25 * 16_000, i += 1)
    inputs.push({ id: `a${i}`, startMs: at / 16, pcm: pcm.subarray(at, at + 25 * 16_000) });
  return inputs;
}

async function measureModel(modelsDir: string, model: string | undefined, pcm: Int16Array) {
  const loadStarted = performance.now();
  const engine = createLocalWhisperEngine({ modelsDirs: [modelsDir], model, logger: nullLogger });
  try {
    await engine.transcribe([{ id: 'warm', startMs: 0, pcm: pcm.subarray(0, 16_000) }]);
    const loadMs = Math.round(performance.now() - loadStarted);
    const started = performance.now();
    const out = await engine.transcribe(segmentsOf(pcm));
    const ms = performance.now() - started;
    return {
      model: engine.model,
      dtype: engine.installed.dtype,
      megabytes: Math.round(engine.installed.bytes / 1e6),
      audioSeconds: Math.round(pcm.length / 16_000),
      loadAndFirstMs: loadMs,
      realTimeFactor: Math.round((ms / (pcm.length / 16)) * 1000) / 1000,
      segments: out.length,
    };
  } finally {
    await engine.close();
  }
}

async function benchInstalledModels(pcm: Int16Array): Promise<unknown> {
  const dirs = modelsSearchPath({ env: process.env });
  const installed = dirs.flatMap((dir) => findWhisperModels(dir).map((m) => ({ dir, m })));
  if (installed.length === 0) return `not measured: no model installed in ${dirs.join(', ')} (npm run models:fetch)`;
  const results = [];
  for (const { dir, m } of installed) {
    try {
      results.push(await measureModel(dir, m.id, pcm));
    } catch (error) {
      results.push({ model: modelDisplayName(m), error: error instanceof Error ? error.message : String(error) });
    }
  }
  return results;
}

async function benchTinyModel(pcm: Int16Array): Promise<unknown> {
  const dir = mkdtempSync(join(tmpdir(), 'scribe-bench-tiny-'));
  try {
    const made = spawnSync('/usr/bin/python3', [join(packageRoot, 'test', 'helpers', 'tiny-whisper.py'), join(dir, 'tiny-random')], {
      encoding: 'utf8',
    });
    if (made.status !== 0) return 'not measured: python3-onnx / python3-numpy not installed, the tiny model cannot be generated';
    return { ...(await measureModel(dir, 'tiny-random', pcm)), note: 'random weights: plumbing cost only, not a speech model' };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** An engine that answers at once: what is left is the queue's own work. */
const instantEngine: TranscriptionEngine = {
  name: 'local',
  model: 'instant',
  transcribe: (inputs: readonly SpeechInput[]) =>
    Promise.resolve(
      inputs.map((input, i): RecognizedSegment => ({
        inputId: input.id,
        startMs: input.startMs,
        endMs: input.startMs + Math.round(input.pcm.length / 16),
        text: i % 2 ? `I have had this for ${input.id} days now.` : `How long has that been going on, ${input.id}?`,
        confidence: 0.9,
      })),
    ),
  close: () => Promise.resolve(),
};

async function benchQueueOverhead(segments: number): Promise<unknown> {
  const dir = mkdtempSync(join(tmpdir(), 'scribe-bench-queue-'));
  const energy: VadModel = {
    windowSamples: 512,
    createStream: () => ({
      probability: (w: Float32Array) => Promise.resolve(Math.sqrt(w.reduce((s, v) => s + v * v, 0) / w.length) > 0.02 ? 0.95 : 0.02),
    }),
    release: () => Promise.resolve(),
  };
  const scribe = openScribe({
    dataDir: dir,
    keyProvider: createPassphraseKeyProvider('bench passphrase', { N: 2 ** 12, r: 8, p: 1 }),
    mode: 'create',
    vad: createVadProvider(() => Promise.resolve(energy), nullLogger),
    transcription: { engines: () => instantEngine },
  });
  const ctx = { transport: 'cli', actor: { id: 'bench', role: 'clinician' } } as const;
  try {
    const created = await scribe.dispatch('visit:create', { patientId: 'bench-patient' }, ctx);
    if (!created.ok) throw new Error(created.error.message);
    const visitId = (created.value as { id: string }).id;
    await scribe.dispatch('visit:recordConsent', { visitId, method: 'verbal' }, ctx);
    // 1.5 s of speech and 0.8 s of silence per segment.
    const per = Math.round(2.3 * 16_000);
    const pcm = new Int16Array(per * segments);
    for (let s = 0; s < segments; s += 1) for (let i = 0; i < 1.5 * 16_000; i += 1) pcm[s * per + i] = speechSample(i);
    const file = join(dir, 'visit.wav');
    const header = Buffer.alloc(44);
    header.write('RIFF', 0, 'latin1');
    header.writeUInt32LE(36 + pcm.byteLength, 4);
    header.write('WAVEfmt ', 8, 'latin1');
    header.writeUInt32LE(16, 16);
    header.writeUInt16LE(1, 20);
    header.writeUInt16LE(1, 22);
    header.writeUInt32LE(16_000, 24);
    header.writeUInt32LE(32_000, 28);
    header.writeUInt16LE(2, 32);
    header.writeUInt16LE(16, 34);
    header.write('data', 36, 'latin1');
    header.writeUInt32LE(pcm.byteLength, 40);
    writeFileSync(file, Buffer.concat([header, Buffer.from(pcm.buffer)]));
    await scribe.capture.importFile(visitId as never, file, ctx.actor);
    const started = performance.now();
    const result = await scribe.dispatch('visit:transcribe', { visitId }, ctx);
    const ms = performance.now() - started;
    if (!result.ok) throw new Error(result.error.message);
    const status = result.value as TranscriptionStatus;
    return {
      segments: status.segmentsDone,
      transcriptSegments: status.transcriptSegments,
      msPerSegment: Math.round((ms / Math.max(1, status.segmentsDone)) * 100) / 100,
      totalMs: Math.round(ms),
    };
  } finally {
    scribe.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

export async function benchAsr(): Promise<Record<string, unknown>> {
  const { pcm, source } = await speechAudio(Number.parseInt(process.env['BENCH_ASR_SECONDS'] ?? '60', 10));
  return {
    audio: source,
    localRealTimeFactor: await benchInstalledModels(pcm),
    tinyGeneratedModel: await benchTinyModel(pcm),
    queueOverhead: await benchQueueOverhead(Number.parseInt(process.env['BENCH_ASR_SEGMENTS'] ?? '200', 10)),
    speakerLabelling: benchSpeakerLabelling(),
  };
}

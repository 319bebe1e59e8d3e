import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createAuditLog } from '../main/audit/audit-log.js';
import { createEventBus } from '../main/kernel/event-bus.js';
import { createCaptureService } from '../main/capture/capture-service.js';
import { loadSileroVad } from '../main/capture/silero-vad.js';
import { findSileroModel } from '../main/capture/vad-model-path.js';
import { createVadProvider, noVad } from '../main/capture/vad-provider.js';
import type { VadProvider } from '../main/capture/vad-provider.js';
import { nullLogger } from '../main/log/logger.js';
import { createSqliteAudioRepository } from '../main/store/audio-repository.js';
import { createSqliteConsentRepository } from '../main/store/consent-repository.js';
import type { ValueCipher } from '../main/store/envelope.js';
import { createPassphraseKeyProvider } from '../main/store/passphrase-key-provider.js';
import { openStore } from '../main/store/store.js';
import type { Store } from '../main/store/store.js';
import { createSqliteVisitRepository } from '../main/store/visit-repository.js';
import { createVisitLifecycle } from '../main/visits/lifecycle.js';

const FRAME_SAMPLES = 1600; // 100 ms, as the renderer sends

/** Speech-band tones with a syllable-rate envelope and noise: the same work per window as real audio. */
function frame(seq: number): string {
  const pcm = Buffer.alloc(FRAME_SAMPLES * 2);
  let seed = (seq * 2654435761) >>> 0;
  for (let k = 0; k < FRAME_SAMPLES; k += 1) {
    const i = seq * FRAME_SAMPLES + k;
    seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0;
    const envelope = 0.5 + 0.5 * Math.sin((2 * Math.PI * 4 * i) / 16_000);
    const value =
      envelope * (0.3 * Math.sin((2 * Math.PI * 180 * i) / 16_000) + 0.1 * Math.sin((2 * Math.PI * 1200 * i) / 16_000)) +
      (seed / 2 ** 32 - 0.5) * 0.05;
    pcm.writeInt16LE(Math.round(value * 32767), k * 2);
  }
  return pcm.toString('base64');
}

/** Stores values as they are: the "no encryption" baseline, same code path otherwise. */
const clearCipher: ValueCipher = {
  seal: (plaintext) => Buffer.from(plaintext),
  open: (envelope) => Buffer.from(envelope),
  sealJson: (value) => Buffer.from(JSON.stringify(value)),
  openJson: (envelope) => JSON.parse(envelope.toString('utf8')) as unknown,
};

interface Variant {
  readonly cipher: 'aes-256-gcm' | 'none';
  readonly vad: VadProvider;
}

async function ingest(store: Store, variant: Variant, frames: readonly string[]): Promise<{ cpuMs: number; wallMs: number }> {
  const audioStore: Store = variant.cipher === 'none' ? { ...store, cipher: clearCipher } : store;
  const visits = createSqliteVisitRepository(store);
  const lifecycle = createVisitLifecycle({ store });
  const actor = { id: 'bench', role: 'clinician' } as const;
  const capture = createCaptureService({
    store,
    visits,
    lifecycle,
    audio: createSqliteAudioRepository(audioStore),
    consents: createSqliteConsentRepository(store),
    audit: createAuditLog(store),
    events: createEventBus(),
    logger: nullLogger,
    vad: variant.vad,
    requireConsent: false,
  });
  const visit = visits.insert({ patientId: 'bench', patient: {}, createdBy: actor.id });
  await capture.start(visit.id, actor);
  const cpu = process.cpuUsage();
  const started = performance.now();
  frames.forEach((pcm, seq) => capture.append({ visitId: visit.id, seq, pcm }));
  await capture.stop(visit.id, actor); // waits for the detector to finish the recording
  const wallMs = performance.now() - started;
  const used = process.cpuUsage(cpu);
  await capture.close();
  return { cpuMs: (used.user + used.system) / 1000, wallMs };
}

/**
 * CPU time per second of audio for live ingest (base64 decode, AES-256-GCM, one durable SQLite
 * transaction per 100 ms frame with synchronous=FULL, Silero VAD), against the same ingest storing
 * the audio in clear, in one store and one run. Rounds alternate so cache and fsync noise fall on
 * both. Frames are sent as fast as the service takes them; the fraction is CPU, not wall, time.
 */
export async function benchCaptureIngest(audioSeconds: number) {
  const dir = mkdtempSync(join(tmpdir(), 'scribe-bench-capture-'));
  const store = openStore({
    dataDir: dir,
    keyProvider: createPassphraseKeyProvider('bench passphrase', { N: 2 ** 12, r: 8, p: 1 }),
    mode: 'create',
  });
  const vad = createVadProvider(() => loadSileroVad(findSileroModel()), nullLogger);
  try {
    const frames = Array.from({ length: Math.round(audioSeconds * 10) }, (_, seq) => frame(seq));
    await vad.get();
    const runs: Record<string, { cpuMs: number; wallMs: number }[]> = { encrypted: [], plaintext: [], encryptedNoVad: [] };
    for (let round = 0; round < 2; round += 1) {
      runs['encrypted']!.push(await ingest(store, { cipher: 'aes-256-gcm', vad }, frames));
      runs['plaintext']!.push(await ingest(store, { cipher: 'none', vad }, frames));
      runs['encryptedNoVad']!.push(await ingest(store, { cipher: 'aes-256-gcm', vad: noVad }, frames));
    }
    const figure = (list: { cpuMs: number; wallMs: number }[]) => {
      const best = list.reduce((a, b) => (a.cpuMs <= b.cpuMs ? a : b));
      return {
        cpuSecondsPerAudioSecond: Number((best.cpuMs / 1000 / audioSeconds).toFixed(5)),
        wallSecondsPerAudioSecond: Number((best.wallMs / 1000 / audioSeconds).toFixed(5)),
      };
    };
    const encrypted = figure(runs['encrypted']!);
    const plaintext = figure(runs['plaintext']!);
    return {
      audioSeconds,
      frameMs: 100,
      synchronous: 'FULL',
      vad: vad.availability() === 'ready' ? 'silero-v5 (onnxruntime-node, 1 thread)' : 'unavailable',
      encrypted,
      plaintext,
      encryptedWithoutVad: figure(runs['encryptedNoVad']!),
      encryptionCpuOverhead: Number((encrypted.cpuSecondsPerAudioSecond / plaintext.cpuSecondsPerAudioSecond).toFixed(3)),
    };
  } finally {
    await vad.release();
    store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

import { createVadProvider, noVad } from '../../main/capture/vad-provider.js';
import type { VadProvider } from '../../main/capture/vad-provider.js';
import type { VadModel } from '../../main/capture/silero-vad.js';
import type { TranscriptionOptions } from '../../main/asr/transcription-setup.js';
import type { RecognizedSegment, SpeechInput, TranscribeOptions, TranscriptionEngine } from '../../main/asr/engine.js';
import { cancelledError } from '../../main/asr/asr-error.js';
import { openScribe } from '../../main/compose.js';
import type { Scribe } from '../../main/compose.js';
import { nullLogger } from '../../main/log/logger.js';
import { createPassphraseKeyProvider } from '../../main/store/passphrase-key-provider.js';
import type { Visit } from '../../shared/domain/visit.js';
import { memoryLogger } from './capture-harness.js';
import { FAST_SCRYPT, SENTINEL, tempDir } from './temp-store.js';
import type { ApiError } from '../../shared/api/errors.js';

export const clinicianCtx = { transport: 'cli', actor: { id: 'dr-asr', role: 'clinician' } } as const;

/** Speech-like 16 kHz audio: a voiced tone whose loudness rises and falls four times a second, with a little noise. */
export function speechLike(seconds: number, seed = 1, amplitude = 6000): Int16Array {
  let x = seed;
  return Int16Array.from({ length: Math.round(seconds * 16_000) }, (_, i) => {
    x = (x * 1103515245 + 12345) & 0x7fffffff;
    const envelope = 0.55 + 0.45 * Math.sin((2 * Math.PI * 4 * i) / 16_000);
    return Math.round(amplitude * envelope * Math.sin((2 * Math.PI * 180 * i) / 16_000) + 300 * (x / 0x7fffffff - 0.5));
  });
}

/** Steady hiss (a fan, a noisy room): loud, but level from moment to moment. */
export function whiteNoise(seconds: number, amplitude = 3000, seed = 3): Int16Array {
  let x = seed;
  const uniform = () => {
    x = (x * 1103515245 + 12345) & 0x7fffffff;
    return x / 0x7fffffff - 0.5;
  };
  return Int16Array.from({ length: Math.round(seconds * 16_000) }, () =>
    Math.round(amplitude * (uniform() + uniform() + uniform() + uniform())),
  );
}

/**
 * A voice-activity model that calls loud windows speech: the real segmenter and follower run on
 * it, deterministically, without the Silero model.
 */
export function energyVad(): VadProvider {
  const model: VadModel = {
    windowSamples: 512,
    createStream: () => ({
      probability: (window: Float32Array) => {
        let sum = 0;
        for (const v of window) sum += v * v;
        return Promise.resolve(Math.sqrt(sum / window.length) > 0.02 ? 0.95 : 0.02);
      },
    }),
    release: () => Promise.resolve(),
  };
  return createVadProvider(() => Promise.resolve(model), nullLogger);
}

export { noVad };

export interface EngineCall {
  readonly inputs: readonly SpeechInput[];
  readonly prompt: string | undefined;
}

/**
 * An engine driven by the test: `answer` says what each input holds; `delayMs` makes it slow.
 * It honours cancellation like the real engines.
 */
export function scriptedEngine(
  answer: (input: SpeechInput, call: number) => Omit<RecognizedSegment, 'inputId'>[] | Error,
  delayMs = 0,
): TranscriptionEngine & { calls: EngineCall[] } {
  const calls: EngineCall[] = [];
  return {
    name: 'local',
    model: 'scripted-test',
    calls,
    async transcribe(inputs: readonly SpeechInput[], options: TranscribeOptions = {}) {
      calls.push({ inputs, prompt: options.prompt });
      if (delayMs > 0) {
        await new Promise<void>((resolve, reject) => {
          const onAbort = () => {
            clearTimeout(timer);
            reject(cancelledError());
          };
          const timer = setTimeout(() => {
            options.signal?.removeEventListener('abort', onAbort);
            resolve();
          }, delayMs);
          options.signal?.addEventListener('abort', onAbort, { once: true });
        });
      }
      if (options.signal?.aborted) throw cancelledError();
      const out: RecognizedSegment[] = [];
      for (const input of inputs) {
        const answered = answer(input, calls.length);
        if (answered instanceof Error) throw answered;
        out.push(...answered.map((s) => ({ inputId: input.id, ...s })));
      }
      return out;
    },
    close: () => Promise.resolve(),
  };
}

export interface AsrScribe {
  readonly dir: string;
  readonly scribe: Scribe;
  readonly logger: ReturnType<typeof memoryLogger>;
  call<T = unknown>(channel: string, request: unknown): Promise<T>;
  fail(channel: string, request: unknown): Promise<ApiError>;
  newVisit(patient?: Record<string, unknown>): Promise<Visit>;
  cleanup(): void;
}

export function openAsrScribe(options: { vad?: VadProvider; transcription?: TranscriptionOptions; policyFile?: string } = {}): AsrScribe {
  const tmp = tempDir('scribe-asr-');
  const logger = memoryLogger();
  const scribe = openScribe({
    dataDir: tmp.dir,
    keyProvider: createPassphraseKeyProvider('asr test passphrase', FAST_SCRYPT),
    mode: 'create',
    logger,
    vad: options.vad ?? noVad,
    transcription: options.transcription,
  });
  const harness: AsrScribe = {
    dir: tmp.dir,
    scribe,
    logger,
    async call<T>(channel: string, request: unknown): Promise<T> {
      const result = await scribe.dispatch(channel, request, clinicianCtx);
      if (!result.ok) throw new Error(`${channel} failed: ${result.error.code} ${result.error.message}`);
      return result.value as T;
    },
    async fail(channel, request) {
      const result = await scribe.dispatch(channel, request, clinicianCtx);
      if (result.ok) throw new Error(`${channel} succeeded but should have failed`);
      return result.error;
    },
    async newVisit(patient = {}) {
      const visit = await harness.call<Visit>('visit:create', {
        patientId: SENTINEL.patientId,
        patient: { displayName: SENTINEL.name, mrn: SENTINEL.mrn, birthDate: SENTINEL.birthDate, ...patient },
      });
      await harness.call('visit:recordConsent', { visitId: visit.id, method: 'verbal' });
      return visit;
    },
    cleanup() {
      scribe.close();
      tmp.cleanup();
    },
  };
  return harness;
}

/** Resolves when `predicate` holds, polling; fails after `ms`. */
export async function eventually(predicate: () => boolean | Promise<boolean>, ms = 10_000, what = 'condition'): Promise<void> {
  const until = Date.now() + ms;
  while (!(await predicate())) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

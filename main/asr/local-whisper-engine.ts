import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { sep } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { SAMPLES_PER_MS } from '../../shared/domain/capture.js';
import type { Logger } from '../log/logger.js';
import { AsrError, cancelledError } from './asr-error.js';
import { splitAtPauses, toFloat32 } from './audio-stats.js';
import type { RecognizedSegment, SpeechInput, TranscribeOptions, TranscriptionEngine } from './engine.js';
import type { InstalledModel } from './models-dir.js';
import { MODELS_FETCH_HINT, modelDisplayName, resolveWhisperModel } from './models-dir.js';
import { confidenceFrom, maxNewTokensFor, placeChunks } from './whisper-decode.js';
import type { DecodedChunk, DecodeStats, FromWorker, ToWorker, WhisperWorkerData } from './whisper-protocol.js';

export interface LocalWhisperOptions {
  /** Folders searched for a model (./models-dir.ts modelsSearchPath). */
  readonly modelsDirs: readonly string[];
  /** A model folder id to use; default: the preferred installed one. */
  readonly model?: string | undefined;
  /** onnxruntime threads; default: all cores but one (at most 4), so recording keeps a core. */
  readonly threads?: number;
  readonly logger: Logger;
  /** A decode running longer than base + perAudioSecond × seconds is stopped as stuck. */
  readonly timeout?: { readonly baseMs: number; readonly perAudioSecondMs: number };
  readonly loadTimeoutMs?: number;
  /** After a cancel, how long the worker may take to stop before it is terminated. */
  readonly cancelGraceMs?: number;
  /** Tests: a different worker script. */
  readonly workerUrl?: URL;
}

export interface LocalWhisperEngine extends TranscriptionEngine {
  readonly installed: InstalledModel;
}

/** Whisper reads 30 s; a little less leaves room for the feature extractor's framing. */
const WINDOW_SAMPLES = 29_500 * SAMPLES_PER_MS;

/**
 * The worker script beside this file: compiled JS in a build, the TS source under tsx (tests, dev).
 * A packaged app's worker runs from app.asar.unpacked when it is there (older Electron workers
 * could not read inside the archive).
 */
export function whisperWorkerUrl(): URL {
  const js = new URL('./whisper-worker.js', import.meta.url);
  const path = fileURLToPath(js);
  const unpacked = path.replace(`app.asar${sep}`, `app.asar.unpacked${sep}`);
  if (unpacked !== path && existsSync(unpacked)) return pathToFileURL(unpacked);
  if (existsSync(path)) return js;
  return new URL('./whisper-worker.ts', import.meta.url);
}

/**
 * Compiled workers start directly. The TS source (tests and development under tsx) needs tsx's
 * loader registered inside the worker first: Node 20 does not carry `--import` hooks into workers.
 */
function startWorker(url: URL, workerData: WhisperWorkerData): Worker {
  if (!url.pathname.endsWith('.ts')) return new Worker(url, { workerData });
  const bootstrap = `import('tsx/esm/api').then((tsx) => { tsx.register(); return import(${JSON.stringify(url.href)}); })`;
  return new Worker(bootstrap, { eval: true, workerData });
}

interface Pending {
  resolve(value: { chunks: DecodedChunk[]; stats: DecodeStats }): void;
  reject(error: unknown): void;
}

/**
 * Whisper on this machine, in a worker thread (the same code runs in Electron's main process and
 * in the CLI). The model loads on first use and stays loaded; a worker that crashes or hangs is
 * replaced on the next call, and the audio it held is simply transcribed again.
 */
export function createLocalWhisperEngine(options: LocalWhisperOptions): LocalWhisperEngine {
  const installed = resolveWhisperModel(options.modelsDirs, options.model);
  const threads = options.threads ?? Math.max(1, Math.min(4, availableParallelism() - 1));
  const timeout = options.timeout ?? { baseMs: 60_000, perAudioSecondMs: 10_000 };
  const loadTimeoutMs = options.loadTimeoutMs ?? 180_000;
  const cancelGraceMs = options.cancelGraceMs ?? 3_000;
  const { logger } = options;

  let worker: Worker | undefined;
  let ready: Promise<Worker> | undefined;
  let nextJob = 0;
  const pending = new Map<number, Pending>();

  function failAll(error: AsrError): void {
    for (const [job, p] of pending) {
      pending.delete(job);
      p.reject(error);
    }
  }

  function discard(w: Worker, reason: string): void {
    if (worker !== w) return;
    worker = undefined;
    ready = undefined;
    logger.warn('asr.local_worker_stopped', { reason, model: modelDisplayName(installed) });
    failAll(new AsrError('engine_failed', 'The local speech engine stopped unexpectedly; the audio is kept and can be transcribed again.'));
    void w.terminate();
  }

  function spawn(): Promise<Worker> {
    const data: WhisperWorkerData = { modelsDir: installed.root, modelId: installed.id, dtype: installed.dtype, threads };
    const w = startWorker(options.workerUrl ?? whisperWorkerUrl(), data);
    worker = w;
    const started = performance.now();
    return new Promise<Worker>((resolve, reject) => {
      const timer = setTimeout(() => {
        reject(new AsrError('engine_failed', 'The local speech model took too long to load.'));
        discard(w, 'load_timeout');
      }, loadTimeoutMs);
      w.on('message', (message: FromWorker) => {
        switch (message.type) {
          case 'ready':
            clearTimeout(timer);
            logger.info('asr.local_model_loaded', {
              model: modelDisplayName(installed),
              ms: Math.round(performance.now() - started),
              threads,
            });
            // An idle worker never keeps the process alive (a CLI that forgot close() still exits).
            if (pending.size === 0) w.unref();
            resolve(w);
            return;
          case 'load_failed':
            clearTimeout(timer);
            logger.warn('asr.local_model_load_failed', {
              model: modelDisplayName(installed),
              reason: message.reason,
              error: message.errorName,
            });
            reject(
              message.reason === 'not_found'
                ? new AsrError('model_not_installed', `The speech model in ${installed.path} is incomplete: ${MODELS_FETCH_HINT}.`)
                : new AsrError(
                    'model_invalid',
                    `The speech model in ${installed.path} could not be loaded; it may be damaged: ${MODELS_FETCH_HINT}.`,
                  ),
            );
            worker = undefined;
            ready = undefined;
            void w.terminate();
            return;
          case 'progress':
            return;
          case 'result': {
            const p = pending.get(message.job);
            pending.delete(message.job);
            if (!p) return;
            if (message.cancelled) p.reject(cancelledError());
            else p.resolve({ chunks: message.chunks, stats: message.stats });
            if (pending.size === 0) w.unref();
            return;
          }
          case 'failed': {
            const p = pending.get(message.job);
            pending.delete(message.job);
            logger.warn('asr.local_decode_failed', { error: message.errorName });
            p?.reject(new AsrError('engine_failed', 'The local speech engine failed on this audio.'));
            if (pending.size === 0) w.unref();
            return;
          }
          default:
            return;
        }
      });
      w.on('error', (error) => {
        clearTimeout(timer);
        reject(new AsrError('engine_failed', 'The local speech engine could not start.', { cause: error }));
        discard(w, error.name);
      });
      w.on('exit', (code) => {
        clearTimeout(timer);
        reject(new AsrError('engine_failed', 'The local speech engine stopped while loading.'));
        discard(w, `exit_${code}`);
      });
    });
  }

  function ensureWorker(): Promise<Worker> {
    ready ??= spawn();
    return ready;
  }

  function decode(w: Worker, audio: Float32Array, prompt: string | undefined, signal: AbortSignal | undefined) {
    const job = (nextJob += 1);
    const seconds = audio.length / 16_000;
    return new Promise<{ chunks: DecodedChunk[]; stats: DecodeStats }>((resolve, reject) => {
      let grace: NodeJS.Timeout | undefined;
      const cleanup = () => {
        clearTimeout(limit);
        clearTimeout(grace);
        signal?.removeEventListener('abort', onAbort);
      };
      /** Asks the worker to stop; one that does not within the grace period is replaced. */
      const stop = () => {
        w.postMessage({ type: 'cancel', job } satisfies ToWorker);
        grace = setTimeout(() => {
          if (pending.has(job)) discard(w, 'unresponsive');
        }, cancelGraceMs);
      };
      const onAbort = () => stop();
      let timedOut = false;
      const limit = setTimeout(
        () => {
          timedOut = true;
          logger.warn('asr.local_decode_timeout', { seconds: Math.round(seconds) });
          stop();
        },
        timeout.baseMs + timeout.perAudioSecondMs * seconds,
      );
      pending.set(job, {
        resolve: (value) => {
          cleanup();
          resolve(value);
        },
        reject: (error) => {
          cleanup();
          if (timedOut) reject(new AsrError('timeout', 'The local speech engine took too long on this audio and was stopped.'));
          else reject(error instanceof Error ? error : new AsrError('engine_failed', 'The local speech engine failed on this audio.'));
        },
      });
      signal?.addEventListener('abort', onAbort, { once: true });
      w.ref();
      // The copy is the worker's from now on (transferred, not cloned).
      w.postMessage({ type: 'transcribe', job, audio, prompt: prompt ?? null, maxNewTokens: maxNewTokensFor(seconds) } satisfies ToWorker, [
        audio.buffer as ArrayBuffer,
      ]);
    });
  }

  return {
    name: 'local',
    model: modelDisplayName(installed),
    installed,
    async transcribe(inputs: readonly SpeechInput[], transcribeOptions: TranscribeOptions = {}): Promise<RecognizedSegment[]> {
      const { signal, prompt, onProgress } = transcribeOptions;
      if (signal?.aborted) throw cancelledError();
      if (!worker) onProgress?.({ phase: 'loading' });
      const w = await ensureWorker();
      const out: RecognizedSegment[] = [];
      for (const [i, input] of inputs.entries()) {
        const samples = toFloat32(input.pcm);
        for (const window of splitAtPauses(samples, WINDOW_SAMPLES)) {
          if (signal?.aborted) throw cancelledError();
          const audio = samples.slice(window.start, window.end);
          const { chunks, stats } = await decode(w, audio, prompt, signal);
          const startMs = input.startMs + Math.round(window.start / SAMPLES_PER_MS);
          const endMs = input.startMs + Math.round(window.end / SAMPLES_PER_MS);
          for (const placed of placeChunks(chunks, { startMs, endMs })) {
            out.push({
              inputId: input.id,
              ...placed,
              ...(stats.avgLogprob === null ? {} : { avgLogprob: stats.avgLogprob, confidence: confidenceFrom(stats.avgLogprob) }),
              ...(stats.noSpeechProb === null ? {} : { noSpeechProb: stats.noSpeechProb }),
              hitTokenLimit: stats.truncated,
            });
          }
        }
        onProgress?.({ phase: 'transcribing', inputsDone: i + 1, inputsTotal: inputs.length });
      }
      return out;
    },
    async close() {
      const w = worker;
      worker = undefined;
      ready = undefined;
      failAll(cancelledError());
      if (w) await w.terminate();
    },
  };
}

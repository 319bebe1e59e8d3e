import { readFile } from 'node:fs/promises';
import type * as Ort from 'onnxruntime-node';
import type { InferenceSession, Tensor } from 'onnxruntime-node';
import { vadModelUnexpected, vadModelUnloadable, vadNoProbability, vadRuntimeUnavailable } from './capture-errors.js';

/** Speech probability per fixed window of 16 kHz audio, with the model's memory kept per stream. */
export interface VadStream {
  probability(window: Float32Array): Promise<number>;
}

export interface VadModel {
  readonly windowSamples: number;
  createStream(): VadStream;
  release(): Promise<void>;
}

/** Silero v5 at 16 kHz: 512-sample windows, each preceded by the previous window's last 64 samples. */
export const SILERO_WINDOW = 512;
const CONTEXT = 64;
const STATE_SHAPE = [2, 1, 128] as const;
const INPUTS = ['input', 'state', 'sr'];
const OUTPUTS = ['output', 'stateN'];

/**
 * Loads the Silero VAD v5 ONNX model with onnxruntime-node. The bytes are read by Node (so the file
 * may sit inside an asar archive) and handed to the runtime. One thread: the recording shares the
 * machine with transcription, and a 512-sample window takes about 0.1 ms.
 */
export async function loadSileroVad(modelPath: string): Promise<VadModel> {
  let ort: typeof Ort;
  try {
    ort = await import('onnxruntime-node');
  } catch (cause) {
    throw vadRuntimeUnavailable(cause);
  }
  let session: InferenceSession;
  try {
    const bytes = await readFile(modelPath);
    session = await ort.InferenceSession.create(new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength), {
      intraOpNumThreads: 1,
      interOpNumThreads: 1,
      executionMode: 'sequential',
      graphOptimizationLevel: 'all',
    });
  } catch (cause) {
    throw vadModelUnloadable(cause);
  }
  if (INPUTS.some((name) => !session.inputNames.includes(name)) || OUTPUTS.some((name) => !session.outputNames.includes(name))) {
    await session.release();
    throw vadModelUnexpected();
  }
  const sr = new ort.Tensor('int64', BigInt64Array.of(16_000n), []);

  return {
    windowSamples: SILERO_WINDOW,
    createStream(): VadStream {
      let state: Tensor = new ort.Tensor('float32', new Float32Array(2 * 128), [...STATE_SHAPE]);
      // One input buffer and tensor per stream, reused: a stream runs one window at a time (each
      // call is awaited before the next), and an hour of audio is 112,500 windows of garbage otherwise.
      const frame = new Float32Array(CONTEXT + SILERO_WINDOW);
      const input = new ort.Tensor('float32', frame, [1, frame.length]);
      let busy = false;
      return {
        async probability(window) {
          if (window.length !== SILERO_WINDOW) throw new RangeError(`Silero v5 takes ${SILERO_WINDOW}-sample windows`);
          if (busy) throw new Error('one window at a time per VAD stream');
          busy = true;
          // The previous window's last 64 samples, then this window.
          frame.copyWithin(0, SILERO_WINDOW);
          frame.set(window, CONTEXT);
          let out: InferenceSession.ReturnType;
          try {
            out = await session.run({ input, state, sr });
          } finally {
            busy = false;
          }
          state = out['stateN']!;
          const probability = (out['output']!.data as Float32Array)[0];
          if (typeof probability !== 'number' || Number.isNaN(probability)) throw vadNoProbability();
          return probability;
        },
      };
    },
    release: () => session.release(),
  };
}

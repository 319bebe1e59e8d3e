import type { VadAvailability } from '../../shared/domain/capture.js';
import type { Logger } from '../log/logger.js';
import type { VadModel } from './silero-vad.js';

/**
 * Loads the voice-activity model once, on first use, and remembers a failure: recording never waits
 * for or fails because of the model (segments are computed later from the stored audio).
 */
export interface VadProvider {
  /** The model, or undefined when it cannot be loaded on this machine. */
  get(): Promise<VadModel | undefined>;
  availability(): VadAvailability;
  release(): Promise<void>;
}

export function createVadProvider(load: () => Promise<VadModel>, logger: Logger): VadProvider {
  let loading: Promise<VadModel | undefined> | undefined;
  let state: VadAvailability = 'not_loaded';
  return {
    get() {
      loading ??= load().then(
        (model) => {
          state = 'ready';
          return model;
        },
        (error: unknown) => {
          state = 'unavailable';
          // The error's name and code only: messages from native code may carry paths.
          logger.warn('capture.vad_unavailable', { error: error instanceof Error ? error.name : typeof error });
          return undefined;
        },
      );
      return loading;
    },
    availability: () => state,
    async release() {
      const model = await loading;
      loading = undefined;
      state = 'not_loaded';
      await model?.release();
    },
  };
}

/** No model: every recording is stored, no segments are found (tests, and machines without the runtime). */
export const noVad: VadProvider = {
  get: () => Promise.resolve(undefined),
  availability: () => 'unavailable',
  release: () => Promise.resolve(),
};

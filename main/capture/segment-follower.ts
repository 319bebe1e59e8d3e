import { int16ToFloat } from '../../shared/audio/pcm.js';
import type { SpeechSegment } from '../../shared/domain/capture.js';
import { SAMPLES_PER_MS } from '../../shared/domain/capture.js';
import type { VisitId } from '../../shared/ids.js';
import type { Logger } from '../log/logger.js';
import type { AudioRepository } from '../store/audio-repository.js';
import { int16View } from './pcm.js';
import type { VadModel } from './silero-vad.js';
import type { SampleSpan, SegmenterOptions } from './speech-segmenter.js';
import { SpeechSegmenter } from './speech-segmenter.js';

/**
 * Runs the voice-activity detector behind the store: it reads what has been stored (never frames in
 * flight), so live recording, import, and recovery after a crash share one path, and its lag costs
 * nothing but latency. Closed segments are stored as they close and announced through `onSegment`.
 * After a restart it begins again at the end of the last stored segment, so stored segments never
 * change.
 */
export interface SegmentFollower {
  /** New audio was stored: process it soon. */
  nudge(): void;
  /** Resolves when everything stored so far has been processed. */
  settle(): Promise<void>;
  /**
   * The samples just stored at `startSample`, handed over by the writer (an import) so they need not
   * be read back and decrypted again; falls back to the store when the follower is elsewhere.
   * The caller may reuse `samples` once this resolves.
   */
  consume(startSample: number, samples: Int16Array): Promise<void>;
  /** The audio ended at `endSample`: processes the rest and closes the last segment. */
  finish(endSample: number): Promise<void>;
  /** Stops without closing anything (the audio is being discarded or the store closed). */
  cancel(): Promise<void>;
  /** False once processing failed; the stored audio is intact and can be processed again. */
  readonly healthy: boolean;
}

export interface SegmentFollowerDeps {
  readonly visitId: VisitId;
  readonly audio: AudioRepository;
  readonly model: VadModel;
  readonly logger: Logger;
  readonly onSegment: (segment: SpeechSegment) => void;
  readonly segmenterOptions?: Partial<SegmenterOptions>;
  /** Chunks read per query; small enough to keep memory flat on an hour of audio. */
  readonly pageChunks?: number;
}

export function createSegmentFollower(deps: SegmentFollowerDeps): SegmentFollower {
  const { visitId, audio, model, logger } = deps;
  const pageChunks = deps.pageChunks ?? 16;
  const last = audio.lastSegment(visitId);
  const from = last ? last.endMs * SAMPLES_PER_MS : 0;
  let nextIndex = last ? last.index + 1 : 0;
  const segmenter = new SpeechSegmenter(
    { ...deps.segmenterOptions, sampleRate: SAMPLES_PER_MS * 1000, windowSamples: model.windowSamples },
    from,
    from,
  );
  const stream = model.createStream();
  const window = new Float32Array(model.windowSamples);
  let filled = 0;
  let readPosition = from;
  let running: Promise<void> | undefined;
  let dirty = false;
  let stopped = false;
  let healthy = true;

  function store(spans: readonly SampleSpan[], limit = Number.POSITIVE_INFINITY): void {
    for (const span of spans) {
      const endSample = Math.min(span.endSample, limit);
      const segment = {
        index: nextIndex,
        startMs: Math.floor(span.startSample / SAMPLES_PER_MS),
        endMs: Math.ceil(endSample / SAMPLES_PER_MS),
      };
      if (segment.endMs <= segment.startMs) continue;
      audio.insertSegment(visitId, segment);
      nextIndex += 1;
      deps.onSegment(segment);
    }
  }

  /** Runs the samples that start at `readPosition` through the model; false if stopped on the way. */
  async function process(samples: Int16Array): Promise<boolean> {
    for (let i = 0; i < samples.length;) {
      const take = Math.min(window.length - filled, samples.length - i);
      int16ToFloat(samples.subarray(i, i + take), window.subarray(filled, filled + take));
      filled += take;
      i += take;
      if (filled === window.length) {
        // Inline, not a helper: one awaited call per 32 ms window is the loop's whole garbage.
        const probability = await stream.probability(window);
        if (stopped) return false;
        store(segmenter.push(probability));
        filled = 0;
      }
    }
    readPosition += samples.length;
    return true;
  }

  async function drain(): Promise<void> {
    for (;;) {
      const chunks = audio.chunksFrom(visitId, readPosition, pageChunks);
      let progressed = false;
      for (const chunk of chunks) {
        if (chunk.startSample + chunk.sampleCount <= readPosition) continue;
        if (!(await process(int16View(chunk.pcm).subarray(Math.max(0, readPosition - chunk.startSample))))) return;
        progressed = true;
      }
      if (!progressed) return;
    }
  }

  function run(handOver?: { startSample: number; samples: Int16Array }): Promise<void> {
    running ??= (async () => {
      try {
        // Handed-over samples need no read-back; anything else (a nudge, a handover from elsewhere) does.
        if (handOver && handOver.startSample === readPosition) await process(handOver.samples);
        else dirty = true;
        while (dirty && !stopped) {
          dirty = false;
          await drain();
        }
      } catch (error) {
        healthy = false;
        stopped = true;
        logger.error('capture.vad_failed', { visitId, error: error instanceof Error ? error.name : typeof error });
      } finally {
        running = undefined;
      }
    })();
    return running;
  }

  return {
    nudge() {
      if (stopped) return;
      if (running) dirty = true;
      else void run();
    },
    async settle() {
      while (running) await running;
      if (!stopped) await run();
    },
    async consume(startSample, samples) {
      while (running) await running;
      if (!stopped) await run({ startSample, samples });
    },
    async finish(endSample) {
      await this.settle();
      if (stopped) return;
      if (filled > 0) {
        // The last, partial window, padded with silence; segments end where the audio does.
        window.fill(0, filled);
        const probability = await stream.probability(window);
        if (stopped) return;
        store(segmenter.push(probability), endSample);
        filled = 0;
      }
      store(segmenter.finish(endSample), endSample);
      stopped = true;
    },
    async cancel() {
      stopped = true;
      while (running) await running;
    },
    get healthy() {
      return healthy;
    },
  };
}

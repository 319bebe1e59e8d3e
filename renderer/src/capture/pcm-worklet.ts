import { floatToInt16 } from '../../../shared/audio/pcm.js';
import { Resampler } from '../../../shared/audio/resampler.js';
import { downmix, rms } from './mono.js';

// The AudioWorklet global scope; TypeScript's DOM library does not describe it.
declare const sampleRate: number;
declare function registerProcessor(name: string, processor: new () => AudioWorkletProcessorBase): void;
declare class AudioWorkletProcessorBase {
  readonly port: MessagePort;
}
const Base = (globalThis as unknown as { AudioWorkletProcessor: typeof AudioWorkletProcessorBase }).AudioWorkletProcessor;

/** 100 ms of 16 kHz audio: the unit the app stores and sends. */
const FRAME_SAMPLES = 1600;

export interface WorkletFrame {
  readonly type: 'frame';
  readonly pcm: ArrayBuffer;
  /** RMS of the frame before conversion, 0..1. */
  readonly level: number;
}

/**
 * Runs on the audio thread: device-rate stereo in, 16 kHz mono Int16 frames of 100 ms out. A 'flush'
 * message sends the partial last frame so stopping never drops the final words.
 */
class PcmFrameProcessor extends Base {
  private readonly resampler = new Resampler(sampleRate, 16_000);
  private frame = new Int16Array(FRAME_SAMPLES);
  private filled = 0;
  private levelSquares = 0;
  private levelCount = 0;

  constructor() {
    super();
    this.port.onmessage = (event: MessageEvent<{ type: string }>) => {
      if (event.data.type === 'flush') {
        this.emit(this.filled);
        this.port.postMessage({ type: 'flushed' });
      }
    };
  }

  private emit(length: number): void {
    if (length === 0) return;
    const pcm = this.frame.slice(0, length).buffer;
    const level = this.levelCount ? Math.sqrt(this.levelSquares / this.levelCount) : 0;
    this.port.postMessage({ type: 'frame', pcm, level } satisfies WorkletFrame, [pcm]);
    this.frame = new Int16Array(FRAME_SAMPLES);
    this.filled = 0;
    this.levelSquares = 0;
    this.levelCount = 0;
  }

  process(inputs: Float32Array[][]): boolean {
    const channels = inputs[0];
    if (!channels || channels.length === 0) return true;
    const mono = downmix(channels);
    const level = rms(mono);
    this.levelSquares += level * level * mono.length;
    this.levelCount += mono.length;
    const samples = floatToInt16(this.resampler.process(mono));
    let offset = 0;
    while (offset < samples.length) {
      const take = Math.min(FRAME_SAMPLES - this.filled, samples.length - offset);
      this.frame.set(samples.subarray(offset, offset + take), this.filled);
      this.filled += take;
      offset += take;
      if (this.filled === FRAME_SAMPLES) this.emit(FRAME_SAMPLES);
    }
    return true;
  }
}

registerProcessor('pcm-frames', PcmFrameProcessor);

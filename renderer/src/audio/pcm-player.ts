import { base64ToFloat32 } from './pcm.js';

/** One stretch of stored audio as the API returns it (audio:range). */
export interface PcmRange {
  readonly sampleRate: number;
  readonly fromMs: number;
  readonly toMs: number;
  readonly totalMs: number;
  readonly pcm: string;
}

export type FetchRange = (fromMs: number, toMs: number) => Promise<PcmRange>;

export type PlayerState =
  | { readonly kind: 'idle' }
  | { readonly kind: 'loading'; readonly fromMs: number }
  | { readonly kind: 'playing' }
  | { readonly kind: 'paused'; readonly atMs: number }
  | { readonly kind: 'ended' }
  | { readonly kind: 'error'; readonly message: string };

/** Where one scheduled buffer sits: on the context's clock, and in the recording. */
interface Scheduled {
  readonly source: AudioBufferSourceNode;
  readonly ctxStart: number;
  readonly fromMs: number;
  readonly durationMs: number;
}

const WINDOW_MS = 20_000;
/** Fetch the next window when less than this much audio is left scheduled. */
const PREFETCH_LEAD_S = 8;

/**
 * Plays a visit's stored audio from any point, a window at a time (the API hands out at most a
 * minute per call): each window becomes an AudioBuffer scheduled end to end with the previous one,
 * so playback has no gaps, and the position in the recording is read from the audio clock.
 */
export class PcmPlayer {
  private context: AudioContext | undefined;
  private scheduled: Scheduled[] = [];
  private nextFromMs = 0;
  private nextCtxStart = 0;
  private totalMs = Number.POSITIVE_INFINITY;
  private generation = 0;
  private fetching = false;
  private timer: ReturnType<typeof setInterval> | undefined;
  private state: PlayerState = { kind: 'idle' };

  constructor(
    private readonly fetchRange: FetchRange,
    private readonly onState: (state: PlayerState) => void,
  ) {}

  /** Starts playing at `fromMs`, replacing whatever played before. */
  async play(fromMs: number): Promise<void> {
    const generation = this.halt();
    this.setState({ kind: 'loading', fromMs });
    try {
      this.context ??= new AudioContext({ latencyHint: 'playback' });
      await this.context.resume();
      this.nextFromMs = Math.max(0, Math.round(fromMs));
      this.nextCtxStart = this.context.currentTime + 0.05;
      const scheduled = await this.scheduleNext(generation);
      if (generation !== this.generation) return;
      if (!scheduled) {
        this.setState({ kind: 'ended' });
        return;
      }
      this.setState({ kind: 'playing' });
      this.timer = setInterval(() => this.tick(generation), 250);
    } catch {
      if (generation !== this.generation) return;
      this.halt();
      this.setState({ kind: 'error', message: 'The audio could not be played. Check the computer’s sound output, then try again.' });
    }
  }

  pause(): void {
    const at = this.positionMs();
    this.halt();
    this.setState(at === undefined ? { kind: 'idle' } : { kind: 'paused', atMs: at });
  }

  /** The position in the recording now, or undefined when nothing is scheduled. */
  positionMs(): number | undefined {
    if (this.state.kind === 'paused') return this.state.atMs;
    const context = this.context;
    if (!context || this.scheduled.length === 0) return undefined;
    const now = context.currentTime;
    const current = [...this.scheduled].reverse().find((item) => item.ctxStart <= now) ?? this.scheduled[0]!;
    const into = Math.max(0, (now - current.ctxStart) * 1000);
    return Math.min(current.fromMs + into, current.fromMs + current.durationMs);
  }

  get playerState(): PlayerState {
    return this.state;
  }

  async close(): Promise<void> {
    this.halt();
    const context = this.context;
    this.context = undefined;
    await context?.close().catch(() => undefined);
  }

  private setState(state: PlayerState): void {
    this.state = state;
    this.onState(state);
  }

  /** Stops every scheduled buffer and any loop; answers still in flight are ignored. */
  private halt(): number {
    this.generation += 1;
    clearInterval(this.timer);
    this.timer = undefined;
    for (const item of this.scheduled) {
      item.source.onended = null;
      try {
        item.source.stop();
      } catch {
        // Never started, or already stopped.
      }
      item.source.disconnect();
    }
    this.scheduled = [];
    this.fetching = false;
    return this.generation;
  }

  private async scheduleNext(generation: number): Promise<boolean> {
    const context = this.context;
    if (!context || this.nextFromMs >= this.totalMs) return false;
    this.fetching = true;
    try {
      const range = await this.fetchRange(this.nextFromMs, this.nextFromMs + WINDOW_MS);
      if (generation !== this.generation) return false;
      this.totalMs = range.totalMs;
      const samples = base64ToFloat32(range.pcm);
      if (samples.length === 0) {
        this.totalMs = this.nextFromMs; // nothing more is stored: the recording ends here
        return false;
      }
      const buffer = context.createBuffer(1, samples.length, range.sampleRate);
      buffer.copyToChannel(samples, 0);
      const source = context.createBufferSource();
      source.buffer = buffer;
      source.connect(context.destination);
      // A slow answer must not schedule into the past (the start would be clipped).
      const start = Math.max(this.nextCtxStart, context.currentTime + 0.02);
      source.start(start);
      this.scheduled.push({ source, ctxStart: start, fromMs: range.fromMs, durationMs: range.toMs - range.fromMs });
      this.nextCtxStart = start + buffer.duration;
      this.nextFromMs = range.toMs;
      return true;
    } finally {
      if (generation === this.generation) this.fetching = false;
    }
  }

  private tick(generation: number): void {
    const context = this.context;
    if (!context || generation !== this.generation) return;
    const left = this.nextCtxStart - context.currentTime;
    // Forget buffers that finished long ago; keep the current one for the position.
    while (this.scheduled.length > 1 && this.scheduled[1]!.ctxStart <= context.currentTime) this.scheduled.shift();
    if (left <= 0 && this.nextFromMs >= this.totalMs) {
      this.halt();
      this.setState({ kind: 'ended' });
      return;
    }
    if (left < PREFETCH_LEAD_S && !this.fetching && this.nextFromMs < this.totalMs) {
      this.scheduleNext(generation).catch(() => {
        if (generation !== this.generation) return;
        this.halt();
        this.setState({ kind: 'error', message: 'The rest of the audio could not be loaded. Try playing again.' });
      });
    }
  }
}

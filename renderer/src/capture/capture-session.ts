import type { WorkletFrame } from './pcm-worklet.js';

/** Where frames go: the typed API's capture:append, wrapped by the view. */
export interface FrameSink {
  append(frame: { readonly seq: number; readonly pcm: string }): Promise<void>;
}

export type CaptureStatus =
  | { readonly kind: 'starting' }
  | { readonly kind: 'recording' }
  | { readonly kind: 'paused' }
  | { readonly kind: 'no_signal' }
  | { readonly kind: 'device_lost' }
  | { readonly kind: 'stopped' }
  | { readonly kind: 'error'; readonly message: string };

export interface CaptureSessionOptions {
  readonly sink: FrameSink;
  readonly workletUrl: string;
  /** Continue numbering after the frames a resumed visit already holds. */
  readonly firstSeq: number;
  readonly deviceId?: string | undefined;
  readonly onLevel?: (level: number) => void;
  readonly onStatus?: (status: CaptureStatus) => void;
  /** How long the input may stay silent before the clinician is warned. */
  readonly silenceWarningMs?: number;
}

const SILENCE_LEVEL = 1e-4;

function toBase64(buffer: ArrayBuffer): string {
  const bytes = new Uint8Array(buffer);
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary);
}

/**
 * One recording: microphone → AudioWorklet (16 kHz mono Int16, 100 ms frames) → the store, frame by
 * frame, in order. A frame the main side did not take is retried, never skipped; if the microphone
 * disappears the session waits for it and goes on numbering where it stopped.
 */
export class CaptureSession {
  private context: AudioContext | undefined;
  private stream: MediaStream | undefined;
  private node: AudioWorkletNode | undefined;
  private source: MediaStreamAudioSourceNode | undefined;
  private nextSeq: number;
  private readonly queue: { seq: number; pcm: string }[] = [];
  private sending: Promise<void> | undefined;
  private silentSince: number | undefined;
  private paused = false;
  private stopped = false;
  private readonly onDeviceChange = () => void this.reacquire();

  constructor(private readonly options: CaptureSessionOptions) {
    this.nextSeq = options.firstSeq;
  }

  get framesQueued(): number {
    return this.queue.length;
  }

  async start(): Promise<void> {
    this.status({ kind: 'starting' });
    this.context = new AudioContext({ latencyHint: 'interactive' });
    await this.context.audioWorklet.addModule(this.options.workletUrl);
    await this.connectMicrophone();
    navigator.mediaDevices.addEventListener('devicechange', this.onDeviceChange);
    this.status({ kind: 'recording' });
  }

  private async connectMicrophone(): Promise<void> {
    const context = this.context!;
    this.stream = await navigator.mediaDevices.getUserMedia({
      audio: {
        ...(this.options.deviceId ? { deviceId: { exact: this.options.deviceId } } : {}),
        channelCount: 1,
        // The raw signal transcribes best; browser voice processing is tuned for calls.
        echoCancellation: false,
        noiseSuppression: false,
        autoGainControl: false,
      },
    });
    const [track] = this.stream.getAudioTracks();
    track?.addEventListener('ended', () => {
      if (!this.stopped) this.status({ kind: 'device_lost' });
    });
    this.source = context.createMediaStreamSource(this.stream);
    this.node ??= this.createNode(context);
    this.source.connect(this.node);
  }

  private createNode(context: AudioContext): AudioWorkletNode {
    const node = new AudioWorkletNode(context, 'pcm-frames', { numberOfInputs: 1, numberOfOutputs: 1, channelCountMode: 'max' });
    node.port.onmessage = (event: MessageEvent<WorkletFrame | { type: 'flushed' }>) => {
      if (event.data.type === 'frame') this.onFrame(event.data);
    };
    // A silent path to the destination keeps the graph pulled, so the worklet runs on every engine.
    const mute = context.createGain();
    mute.gain.value = 0;
    node.connect(mute).connect(context.destination);
    return node;
  }

  private async reacquire(): Promise<void> {
    const track = this.stream?.getAudioTracks()[0];
    if (this.stopped || (track && track.readyState === 'live')) return;
    try {
      this.source?.disconnect();
      await this.connectMicrophone();
      if (!this.paused) this.status({ kind: 'recording' });
    } catch {
      this.status({ kind: 'device_lost' });
    }
  }

  private onFrame(frame: WorkletFrame): void {
    if (this.paused || this.stopped) return;
    this.options.onLevel?.(frame.level);
    const now = performance.now();
    if (frame.level < SILENCE_LEVEL) {
      this.silentSince ??= now;
      if (now - this.silentSince > (this.options.silenceWarningMs ?? 5000)) this.status({ kind: 'no_signal' });
    } else if (this.silentSince !== undefined) {
      this.silentSince = undefined;
      this.status({ kind: 'recording' });
    }
    this.queue.push({ seq: this.nextSeq, pcm: toBase64(frame.pcm) });
    this.nextSeq += 1;
    this.sending ??= this.drain().finally(() => (this.sending = undefined));
  }

  private async drain(): Promise<void> {
    let delay = 100;
    while (this.queue.length > 0) {
      try {
        await this.options.sink.append(this.queue[0]!);
        this.queue.shift();
        delay = 100;
      } catch {
        // Main did not take it (busy, restarting): same frame again, a little later.
        await new Promise((resolve) => setTimeout(resolve, delay));
        delay = Math.min(delay * 2, 2000);
      }
    }
  }

  async pause(): Promise<void> {
    this.paused = true;
    await this.context?.suspend();
    this.status({ kind: 'paused' });
  }

  async resume(): Promise<void> {
    this.paused = false;
    await this.context?.resume();
    this.status({ kind: 'recording' });
  }

  /** Sends the last partial frame and waits until every frame has been stored. */
  async stop(): Promise<{ readonly lastSeq: number }> {
    if (this.node && this.context?.state === 'running') {
      const flushed = new Promise<void>((resolve) => {
        const previous = this.node!.port.onmessage;
        this.node!.port.onmessage = (event: MessageEvent<WorkletFrame | { type: 'flushed' }>) => {
          previous?.call(this.node!.port, event);
          if (event.data.type === 'flushed') resolve();
        };
      });
      this.node.port.postMessage({ type: 'flush' });
      await Promise.race([flushed, new Promise((resolve) => setTimeout(resolve, 500))]);
    }
    this.stopped = true;
    navigator.mediaDevices.removeEventListener('devicechange', this.onDeviceChange);
    this.stream?.getTracks().forEach((track) => track.stop());
    while (this.sending) await this.sending;
    await this.context?.close();
    this.status({ kind: 'stopped' });
    return { lastSeq: this.nextSeq - 1 };
  }

  private status(status: CaptureStatus): void {
    this.options.onStatus?.(status);
  }
}

/** Input devices for the picker; labels appear once microphone permission was granted. */
export async function listMicrophones(): Promise<{ deviceId: string; label: string }[]> {
  const devices = await navigator.mediaDevices.enumerateDevices();
  return devices.filter((d) => d.kind === 'audioinput').map((d, i) => ({ deviceId: d.deviceId, label: d.label || `Microphone ${i + 1}` }));
}

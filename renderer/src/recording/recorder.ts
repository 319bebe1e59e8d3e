import type { ScribeApi } from '../../../shared/api/client.js';
import { ApiCallError } from '../../../shared/api/errors.js';
import type { CaptureStatus as SessionStatus } from '../capture/capture-session.js';
import { CaptureSession } from '../capture/capture-session.js';
import pcmWorkletUrl from '../capture/pcm-worklet.ts?worker&url';
import { errorText } from '../error-text.js';
import { plural } from '../format.js';

export type RecorderPhase = 'idle' | 'starting' | 'recording' | 'paused' | 'stopping';

/** What the recording views show; one recording at a time, kept above the views so navigating never stops it. */
export interface RecorderSnapshot {
  readonly phase: RecorderPhase;
  /** The visit being recorded (or last recorded, after a stop). */
  readonly visitId: string | undefined;
  /** Input level 0..1 on a decibel scale (-60 dBFS → 0, 0 dBFS → 1). */
  readonly level: number;
  /** Audio the store holds for this visit, as the last stored frame reported. */
  readonly storedMs: number;
  readonly signal: 'ok' | 'no_signal' | 'device_lost';
  /** Set while frames are not being accepted by the store (they are kept and retried). */
  readonly saveProblem: string | undefined;
  /** The last action's failure, in words a clinician can act on. */
  readonly error: string | undefined;
  /** Set once a stop completed: the visit moves on to transcription. */
  readonly stoppedVisitId: string | undefined;
}

export type StartMode = 'start' | 'resume_interrupted' | 'continue';

const initial: RecorderSnapshot = {
  phase: 'idle',
  visitId: undefined,
  level: 0,
  storedMs: 0,
  signal: 'ok',
  saveProblem: undefined,
  error: undefined,
  stoppedVisitId: undefined,
};

/** Frames are 100 ms (pcm-worklet.ts): what a count of them is in time, in words. */
const lostAudio = (frames: number): string =>
  frames < 10 ? plural(frames, 'tenth of a second', 'tenths of a second') : plural(Math.round(frames / 10), 'second', 'seconds');

/** How long a stop waits for frames the store keeps refusing before it gives up on them. */
const STOP_DRAIN_LIMIT_MS = 15_000;

function levelFromRms(rms: number): number {
  if (rms <= 0) return 0;
  const db = 20 * Math.log10(rms);
  return Math.min(1, Math.max(0, (db + 60) / 60));
}

function microphoneError(error: unknown): string {
  const name = error instanceof DOMException ? error.name : '';
  if (name === 'NotAllowedError' || name === 'SecurityError')
    return 'Microphone access was refused. Allow the microphone for Ambient Scribe, then start again.';
  if (name === 'NotFoundError' || name === 'OverconstrainedError')
    return 'The chosen microphone was not found. Plug it in or pick another one, then start again.';
  if (name === 'NotReadableError' || name === 'AbortError')
    return 'The microphone is in use by another program or not working. Close the other program, then start again.';
  return 'The microphone could not be started. Check it is connected, then start again.';
}

/**
 * One recording at a time: the microphone session (AudioWorklet → 100 ms frames) and the store's
 * capture calls, in the order that keeps audio safe. The microphone starts first, so a refused
 * permission changes nothing in the store; frames wait until the store has opened the recording,
 * then go out in order; pausing waits until every captured frame is stored.
 */
export class Recorder {
  private snapshot: RecorderSnapshot = initial;
  private readonly listeners = new Set<() => void>();
  private session: CaptureSession | undefined;
  /** Frames from a session the store refused to open are dropped, not retried forever. */
  private discard = false;
  private openGate: (() => void) | undefined;
  private gate: Promise<void> = Promise.resolve();
  private failures = 0;
  private busy = false;

  constructor(private readonly api: ScribeApi) {}

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  getSnapshot = (): RecorderSnapshot => this.snapshot;

  private update(change: Partial<RecorderSnapshot>): void {
    this.snapshot = { ...this.snapshot, ...change };
    for (const listener of this.listeners) listener();
  }

  get active(): boolean {
    return this.snapshot.phase !== 'idle';
  }

  clearError(): void {
    if (this.snapshot.error) this.update({ error: undefined });
  }

  /**
   * Starts (or continues) recording `visitId` from frame `firstSeq` (capture:status's nextSeq).
   * 'resume_interrupted' goes on after a crash; 'continue' takes over a live recording after a reload.
   */
  async start(visitId: string, options: { mode: StartMode; firstSeq: number; deviceId?: string | undefined }): Promise<boolean> {
    if (this.busy) return false;
    if (this.active && this.snapshot.visitId !== visitId) {
      this.update({ error: 'Another visit is being recorded. Stop that recording first.' });
      return false;
    }
    if (this.active) return false;
    this.busy = true;
    this.update({ ...initial, phase: 'starting', visitId });
    try {
      const session = await this.openMicrophone(visitId, options.firstSeq, options.deviceId);
      if (!session) return false;
      let status;
      try {
        status =
          options.mode === 'resume_interrupted'
            ? await this.api.capture.recover({ visitId, action: 'resume' })
            : await this.api.capture.start({ visitId });
      } catch (failure) {
        await this.abandon(session);
        this.update({ phase: 'idle', error: errorText(failure) });
        return false;
      }
      let live = session;
      if (status.nextSeq !== options.firstSeq) {
        // The store numbers differently than we assumed (another window sent frames): start numbering where it says.
        await this.abandon(session);
        const renumbered = await this.openMicrophone(visitId, status.nextSeq, options.deviceId);
        if (!renumbered) return false;
        live = renumbered;
      }
      this.session = live;
      this.update({ phase: status.capture === 'paused' ? 'paused' : 'recording', storedMs: status.durationMs });
      if (status.capture === 'paused') await live.pause();
      this.openGate?.();
      window.addEventListener('beforeunload', this.warnBeforeUnload);
      return true;
    } finally {
      this.busy = false;
    }
  }

  private async openMicrophone(visitId: string, firstSeq: number, deviceId: string | undefined): Promise<CaptureSession | undefined> {
    this.discard = false;
    this.failures = 0;
    this.gate = new Promise<void>((resolve) => (this.openGate = resolve));
    const session = new CaptureSession({
      workletUrl: pcmWorkletUrl,
      firstSeq,
      deviceId,
      sink: { append: (frame) => this.append(visitId, frame) },
      onLevel: (rms) => this.update({ level: levelFromRms(rms) }),
      onStatus: (status) => this.onSessionStatus(status),
    });
    try {
      await session.start();
      return session;
    } catch (failure) {
      await this.abandon(session);
      this.update({ phase: 'idle', error: microphoneError(failure) });
      return undefined;
    }
  }

  private async append(visitId: string, frame: { readonly seq: number; readonly pcm: string }): Promise<void> {
    if (this.discard) return;
    await this.gate;
    if (this.discard) return;
    try {
      const result = await this.api.capture.append({ visitId, seq: frame.seq, pcm: frame.pcm });
      this.failures = 0;
      this.update({
        storedMs: Math.max(this.snapshot.storedMs, result.durationMs),
        ...(this.snapshot.saveProblem ? { saveProblem: undefined } : {}),
      });
    } catch (failure) {
      this.failures += 1;
      if (this.failures >= 3 || (failure instanceof ApiCallError && failure.code !== 'unavailable')) {
        this.update({ saveProblem: `Audio is not being saved right now: ${errorText(failure)} It is kept and sent again.` });
      }
      throw failure;
    }
  }

  private onSessionStatus(status: SessionStatus): void {
    switch (status.kind) {
      case 'no_signal':
        this.update({ signal: 'no_signal' });
        break;
      case 'device_lost':
        this.update({ signal: 'device_lost' });
        break;
      case 'recording':
        if (this.snapshot.signal !== 'ok') this.update({ signal: 'ok' });
        break;
      case 'error':
        this.update({ error: status.message });
        break;
      case 'starting':
      case 'paused':
      case 'stopped':
        break;
    }
  }

  /** Stops a session whose frames cannot be stored: releases the microphone, drops its frames. */
  private async abandon(session: CaptureSession): Promise<void> {
    this.discard = true;
    this.openGate?.();
    await session.stop().catch(() => undefined);
  }

  async pause(): Promise<void> {
    const session = this.session;
    const visitId = this.snapshot.visitId;
    if (!session || !visitId || this.snapshot.phase !== 'recording' || this.busy) return;
    this.busy = true;
    try {
      await session.pause();
      this.update({ phase: 'paused', level: 0 });
      // The store refuses audio while paused: everything captured before the pause goes in first.
      const until = Date.now() + STOP_DRAIN_LIMIT_MS;
      while (session.framesQueued > 0 && Date.now() < until) await new Promise((resolve) => setTimeout(resolve, 50));
      await this.api.capture.pause({ visitId });
    } catch (failure) {
      this.update({ error: errorText(failure) });
    } finally {
      this.busy = false;
    }
  }

  async resume(): Promise<void> {
    const session = this.session;
    const visitId = this.snapshot.visitId;
    if (!session || !visitId || this.snapshot.phase !== 'paused' || this.busy) return;
    this.busy = true;
    try {
      await this.api.capture.resume({ visitId });
      await session.resume();
      this.update({ phase: 'recording', error: undefined });
    } catch (failure) {
      this.update({ error: errorText(failure) });
    } finally {
      this.busy = false;
    }
  }

  /** Stores the last partial frame and every queued frame, then closes the recording in the store. */
  async stop(): Promise<boolean> {
    const session = this.session;
    const visitId = this.snapshot.visitId;
    if (
      !visitId ||
      this.busy ||
      (this.snapshot.phase !== 'recording' && this.snapshot.phase !== 'paused' && !(this.snapshot.phase === 'stopping' && !session))
    ) {
      return false;
    }
    this.busy = true;
    this.update({ phase: 'stopping', level: 0, error: undefined });
    try {
      if (session) {
        const drained = await Promise.race([
          session.stop().then(() => true),
          new Promise<false>((resolve) => setTimeout(() => resolve(false), STOP_DRAIN_LIMIT_MS)),
        ]);
        if (!drained) {
          const lost = session.framesQueued;
          this.discard = true;
          this.update({ saveProblem: `The last ${lostAudio(lost)} of the recording could not be saved.` });
        }
        this.session = undefined;
        window.removeEventListener('beforeunload', this.warnBeforeUnload);
      }
      await this.api.capture.stop({ visitId });
      this.update({ ...initial, visitId, stoppedVisitId: visitId, storedMs: this.snapshot.storedMs });
      return true;
    } catch (failure) {
      // The microphone is off and its audio stored; only closing the recording failed: Stop can be pressed again.
      this.update({ phase: 'stopping', error: `${errorText(failure)} Press Stop again to finish.` });
      return false;
    } finally {
      this.busy = false;
    }
  }

  private readonly warnBeforeUnload = (event: BeforeUnloadEvent) => {
    if (this.snapshot.phase === 'recording' || this.snapshot.phase === 'paused') event.preventDefault();
  };
}

import { controlByteInPayload, frameTooLarge } from './hl7-errors.js';

/** MLLP (HL7 v2 Minimal Lower Layer Protocol): <VT> message <FS><CR>. */
export const MLLP_START = 0x0b;
export const MLLP_END = 0x1c;
export const MLLP_END_CR = 0x0d;

/** Frames one message (UTF-8). The payload must not hold VT or FS, which would end or restart the frame early. */
export function encodeMllpFrame(message: string | Buffer): Buffer {
  const body = typeof message === 'string' ? Buffer.from(message, 'utf8') : message;
  if (body.includes(MLLP_START) || body.includes(MLLP_END)) {
    throw controlByteInPayload();
  }
  return Buffer.concat([Buffer.of(MLLP_START), body, Buffer.of(MLLP_END, MLLP_END_CR)]);
}

/**
 * Turns a TCP byte stream back into frames. TCP keeps no message boundaries, so one chunk may hold
 * several frames, a frame may arrive in many chunks, and the two-byte end marker itself may be cut
 * between chunks. Bytes outside a frame (keep-alives, noise) are counted and dropped; a VT inside
 * a frame means the sender gave up on that frame and started another, so the partial one is
 * dropped too. An FS not followed by CR is content, as the end marker is the pair.
 */
export class MllpDecoder {
  private readonly maxFrameBytes: number;
  private state: 'idle' | 'frame' | 'frame_fs' = 'idle';
  private parts: Buffer[] = [];
  private size = 0;
  /** Bytes dropped because they were outside any complete frame. */
  discardedBytes = 0;

  constructor(options: { maxFrameBytes: number }) {
    this.maxFrameBytes = options.maxFrameBytes;
  }

  /** True while part of a frame is held, waiting for more bytes. */
  get midFrame(): boolean {
    return this.state !== 'idle';
  }

  /**
   * Feeds one chunk; returns the frames it completed (payloads without the markers). Throws MllpFrameError
   * on an oversized frame, then starts afresh.
   */
  push(chunk: Buffer): Buffer[] {
    const frames: Buffer[] = [];
    let i = 0;
    while (i < chunk.length) {
      if (this.state === 'frame_fs') {
        if (chunk[i] === MLLP_END_CR) {
          frames.push(this.take());
          i += 1;
          continue;
        }
        this.append(Buffer.of(MLLP_END));
        this.state = 'frame';
      }
      if (this.state === 'idle') {
        const start = chunk.indexOf(MLLP_START, i);
        if (start < 0) {
          this.discardedBytes += chunk.length - i;
          break;
        }
        this.discardedBytes += start - i;
        this.state = 'frame';
        i = start + 1;
        continue;
      }
      const end = chunk.indexOf(MLLP_END, i);
      const restart = chunk.indexOf(MLLP_START, i);
      if (restart >= 0 && (end < 0 || restart < end)) {
        this.discardedBytes += this.size + (restart - i);
        this.parts = [];
        this.size = 0;
        i = restart + 1;
        continue;
      }
      if (end < 0) {
        this.append(chunk.subarray(i));
        break;
      }
      this.append(chunk.subarray(i, end));
      if (end + 1 >= chunk.length) {
        this.state = 'frame_fs';
        i = end + 1;
      } else if (chunk[end + 1] === MLLP_END_CR) {
        frames.push(this.take());
        i = end + 2;
      } else {
        this.append(Buffer.of(MLLP_END));
        i = end + 1;
      }
    }
    return frames;
  }

  private append(bytes: Buffer): void {
    if (bytes.length === 0) return;
    this.size += bytes.length;
    if (this.size > this.maxFrameBytes) {
      this.discardedBytes += this.size;
      this.parts = [];
      this.size = 0;
      this.state = 'idle';
      throw frameTooLarge(this.maxFrameBytes);
    }
    // Copied, so a held partial frame does not pin the whole chunk it arrived in.
    this.parts.push(Buffer.from(bytes));
  }

  private take(): Buffer {
    const frame = this.parts.length === 1 ? this.parts[0]! : Buffer.concat(this.parts, this.size);
    this.parts = [];
    this.size = 0;
    this.state = 'idle';
    return frame;
  }
}

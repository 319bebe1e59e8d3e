import type { ReadAt } from '../wav-header.js';

const WINDOW_BYTES = 64 * 1024;

/**
 * Reads a file front to back through one reused 64 KiB window, so a container parser can ask for
 * "the next n bytes" without the file ever being held whole.
 */
export class ByteReader {
  readonly size: number;
  private readonly readAt: ReadAt;
  private window: Buffer = Buffer.alloc(0);
  private windowStart = 0;
  private offset = 0;

  constructor(readAt: ReadAt, size: number) {
    this.readAt = readAt;
    this.size = size;
  }

  static of(bytes: Uint8Array): ByteReader {
    const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    return new ByteReader((position, length) => Promise.resolve(buffer.subarray(position, position + length)), buffer.length);
  }

  get position(): number {
    return this.offset;
  }

  get remaining(): number {
    return this.size - this.offset;
  }

  /**
   * The next `length` bytes (fewer only at the end of the file), copied: the caller may keep them.
   */
  async read(length: number): Promise<Buffer> {
    const out = Buffer.allocUnsafe(Math.max(0, Math.min(length, this.remaining)));
    let filled = 0;
    while (filled < out.length) {
      await this.fill();
      const at = this.offset - this.windowStart;
      const take = Math.min(out.length - filled, this.window.length - at);
      if (take <= 0) break;
      this.window.copy(out, filled, at, at + take);
      filled += take;
      this.offset += take;
    }
    return filled === out.length ? out : out.subarray(0, filled);
  }

  /** Bytes from anywhere in the file, without moving the reading position. */
  readRange(position: number, length: number): Promise<Buffer> {
    return this.readAt(position, Math.max(0, Math.min(length, this.size - position)));
  }

  /** Moves past `length` bytes without reading them (Matroska's cues, a video track). */
  skip(length: number): void {
    this.offset = Math.min(this.size, this.offset + length);
  }

  private async fill(): Promise<void> {
    if (this.offset >= this.windowStart && this.offset < this.windowStart + this.window.length) return;
    this.windowStart = this.offset;
    this.window = await this.readAt(this.offset, WINDOW_BYTES);
  }
}

/**
 * EBML, the binary format under Matroska and WebM: elements are an ID, a size and a body, both ID
 * and size written as variable-length integers whose first byte's leading zeros give their length.
 */

/** The size value that means "unknown": a live writer (MediaRecorder) that could not go back. */
export const UNKNOWN_SIZE = -1;

export class EbmlFormatError extends Error {}

/** How many bytes the variable-length integer starting with `first` takes; 0 if none (0x00). */
export function vintLength(first: number): number {
  for (let length = 1; length <= 8; length += 1) if (first & (0x100 >> length)) return length;
  return 0;
}

/** An element ID: its bytes with the length marker kept, as Matroska's tables write them (0x1A45DFA3). */
export function readId(bytes: Uint8Array, at: number): { value: number; length: number } {
  const length = vintLength(bytes[at]!);
  if (length === 0 || length > 4) throw new EbmlFormatError('invalid element ID');
  if (at + length > bytes.length) throw new EbmlFormatError('element cut short');
  let value = 0;
  for (let i = 0; i < length; i += 1) value = value * 256 + bytes[at + i]!;
  return { value, length };
}

/** An element size (marker removed); all value bits set means UNKNOWN_SIZE. */
export function readSize(bytes: Uint8Array, at: number): { value: number; length: number } {
  const length = vintLength(bytes[at]!);
  if (length === 0) throw new EbmlFormatError('invalid element size');
  if (at + length > bytes.length) throw new EbmlFormatError('element cut short');
  let value = bytes[at]! & (0xff >> length);
  let allOnes = value === 0xff >> length;
  for (let i = 1; i < length; i += 1) {
    value = value * 256 + bytes[at + i]!;
    if (bytes[at + i] !== 0xff) allOnes = false;
  }
  if (allOnes) return { value: UNKNOWN_SIZE, length };
  if (value > Number.MAX_SAFE_INTEGER) throw new EbmlFormatError('element size out of range');
  return { value, length };
}

export function readUint(body: Uint8Array): number {
  if (body.length > 7) throw new EbmlFormatError('integer too long');
  let value = 0;
  for (const byte of body) value = value * 256 + byte;
  return value;
}

export function readInt(body: Uint8Array): number {
  if (body.length === 0) return 0;
  const unsigned = readUint(body);
  const top = 2 ** (8 * body.length);
  return body[0]! & 0x80 ? unsigned - top : unsigned;
}

export interface EbmlChild {
  readonly id: number;
  readonly body: Buffer;
}

/** The children of an element already in memory; every size must be known and fit. */
export function* children(body: Buffer): Generator<EbmlChild> {
  let at = 0;
  while (at < body.length) {
    const id = readId(body, at);
    const size = readSize(body, at + id.length);
    const start = at + id.length + size.length;
    if (size.value === UNKNOWN_SIZE || start + size.value > body.length) throw new EbmlFormatError('element overruns its parent');
    yield { id: id.value, body: body.subarray(start, start + size.value) };
    at = start + size.value;
  }
}

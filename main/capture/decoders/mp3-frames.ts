import type { ByteReader } from './byte-reader.js';
import { damaged, truncated, unsupported } from './compressed-decoder.js';

/** What an MPEG audio frame header says (ISO 11172-3 / 13818-3; "MPEG 2.5" for 8–12 kHz). */
export interface MpegFrameHeader {
  readonly version: 1 | 2 | 2.5;
  readonly layer: 1 | 2 | 3;
  readonly sampleRate: number;
  readonly channels: 1 | 2;
  readonly frameBytes: number;
}

const BITRATES: Readonly<Record<string, readonly number[]>> = {
  '1-1': [0, 32, 64, 96, 128, 160, 192, 224, 256, 288, 320, 352, 384, 416, 448],
  '1-2': [0, 32, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320, 384],
  '1-3': [0, 32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320],
  '2-1': [0, 32, 48, 56, 64, 80, 96, 112, 128, 144, 160, 176, 192, 224, 256],
  '2-2': [0, 8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160],
  '2-3': [0, 8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160],
};
const SAMPLE_RATES = { 1: [44_100, 48_000, 32_000], 2: [22_050, 24_000, 16_000], 2.5: [11_025, 12_000, 8_000] } as const;

/** Parses a frame header; undefined if these 4 bytes are not one. Free-format bitrate is refused. */
export function parseMpegHeader(b: Uint8Array): MpegFrameHeader | undefined {
  if (b.length < 4 || b[0] !== 0xff || (b[1]! & 0xe0) !== 0xe0) return undefined;
  const versionBits = (b[1]! >> 3) & 0x03;
  const layerBits = (b[1]! >> 1) & 0x03;
  const bitrateIndex = b[2]! >> 4;
  const rateIndex = (b[2]! >> 2) & 0x03;
  if (versionBits === 1 || layerBits === 0 || bitrateIndex === 15 || rateIndex === 3) return undefined;
  const version = versionBits === 3 ? 1 : versionBits === 2 ? 2 : 2.5;
  const layer = (4 - layerBits) as 1 | 2 | 3;
  if (bitrateIndex === 0) throw unsupported('MP3 with a free-format bitrate');
  const bitrate = BITRATES[`${version === 1 ? 1 : 2}-${layer}`]![bitrateIndex]! * 1000;
  const sampleRate = SAMPLE_RATES[version][rateIndex]!;
  const padding = (b[2]! >> 1) & 0x01;
  const frameBytes =
    layer === 1
      ? (Math.floor((12 * bitrate) / sampleRate) + padding) * 4
      : Math.floor(((layer === 3 && version !== 1 ? 72 : 144) * bitrate) / sampleRate) + padding;
  return { version, layer, sampleRate, channels: b[3]! >> 6 === 3 ? 1 : 2, frameBytes };
}

/**
 * The frame count from a Xing/Info (LAME, ffmpeg) or VBRI header in the first frame, which is not
 * audio itself: lets a file cut exactly between two frames be told from a whole one.
 */
function declaredFrames(frame: Buffer, header: MpegFrameHeader): number | undefined {
  const sideInfo = header.version === 1 ? (header.channels === 1 ? 17 : 32) : header.channels === 1 ? 9 : 17;
  const xing = 4 + sideInfo;
  const tag = frame.toString('latin1', xing, xing + 4);
  if ((tag === 'Xing' || tag === 'Info') && frame.length >= xing + 12 && frame.readUInt32BE(xing + 4) & 0x01)
    return frame.readUInt32BE(xing + 8);
  if (frame.toString('latin1', 36, 40) === 'VBRI' && frame.length >= 36 + 18) return frame.readUInt32BE(36 + 14);
  return undefined;
}

/** How far past the start we look for the first frame (after any ID3v2 tag). */
const MAX_LEADING_JUNK = 64 * 1024;

const isTrailingTag = (b: Buffer) => ['TAG', 'APETAGEX', 'LYRICSBEGIN', 'ID3'].some((tag) => b.toString('latin1', 0, tag.length) === tag);

/**
 * The frames of an MP3 file, in order. Frames must follow one another without gaps (a frame's
 * header gives its length): bytes that are not a frame mean damage, a frame running past the end
 * of the file means it was cut short. Tags at either end (ID3v2, ID3v1, APE, Lyrics3) are skipped.
 */
export async function* mpegFrames(reader: ByteReader, onFirst: (header: MpegFrameHeader) => void): AsyncGenerator<Buffer> {
  const start = await reader.read(10);
  if (start.toString('latin1', 0, 3) === 'ID3' && start.length === 10) {
    const size = ((start[6]! & 0x7f) << 21) | ((start[7]! & 0x7f) << 14) | ((start[8]! & 0x7f) << 7) | (start[9]! & 0x7f);
    const footer = start[5]! & 0x10 ? 10 : 0;
    if (size + footer > reader.remaining) throw truncated('MP3', 'it ends inside its ID3 tag, before any audio');
    reader.skip(size + footer);
  } else {
    // No tag: the 10 bytes already read are the start of the audio.
    yield* frames(reader, onFirst, start);
    return;
  }
  yield* frames(reader, onFirst, Buffer.alloc(0));
}

async function* frames(reader: ByteReader, onFirst: (header: MpegFrameHeader) => void, carried: Buffer): AsyncGenerator<Buffer> {
  // Find the first frame: a header whose successor (or the end of the file) is where it says.
  let pending = Buffer.concat([carried, await reader.read(MAX_LEADING_JUNK + 4096)]);
  let first: MpegFrameHeader | undefined;
  let at = 0;
  for (; at + 4 <= pending.length && at <= MAX_LEADING_JUNK; at += 1) {
    const header = parseMpegHeader(pending.subarray(at, at + 4));
    if (!header) continue;
    const next = at + header.frameBytes;
    const following = parseMpegHeader(pending.subarray(next, next + 4));
    const atEnd = next === pending.length && reader.remaining === 0;
    if (atEnd || (following && following.sampleRate === header.sampleRate && following.layer === header.layer)) {
      first = header;
      break;
    }
  }
  if (!first) throw damaged('MP3', 'no audio frames were found in it');
  onFirst(first);
  pending = pending.subarray(at);
  let expected: number | undefined;
  let count = 0;
  const checkCount = () => {
    if (expected !== undefined && count < expected) throw truncated('MP3', `it ends after ${count} of its ${expected} frames`);
  };
  for (;;) {
    if (pending.length < 4) pending = Buffer.concat([pending, await reader.read(64 * 1024)]);
    if (pending.length === 0 || isTrailingTag(pending)) return checkCount();
    const header = parseMpegHeader(pending.subarray(0, 4));
    if (!header || header.sampleRate !== first.sampleRate || header.layer !== first.layer) {
      if (pending.length < 4) throw truncated('MP3');
      throw damaged('MP3', 'its audio frames break off before the end of the file');
    }
    if (pending.length < header.frameBytes) {
      pending = Buffer.concat([pending, await reader.read(Math.max(64 * 1024, header.frameBytes))]);
      if (pending.length < header.frameBytes) throw truncated('MP3');
    }
    const frame = pending.subarray(0, header.frameBytes);
    pending = pending.subarray(header.frameBytes);
    if (count === 0 && expected === undefined) {
      expected = declaredFrames(frame, header);
      // The info frame is silence that decoders skip; it is not one of the frames it counts.
      if (expected !== undefined) {
        yield frame;
        continue;
      }
    }
    count += 1;
    yield frame;
  }
}

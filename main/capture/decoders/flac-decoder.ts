import { FLACDecoder } from '@wasm-audio-decoders/flac';
import type { ByteReader } from './byte-reader.js';
import type { CompressedDecoder, DecodedAudio } from './compressed-decoder.js';
import { damaged, failOnDecoderErrors, truncated } from './compressed-decoder.js';

const READ_BYTES = 16 * 1024;
/** Metadata we read whole; larger blocks (cover pictures, padding) are skipped unread. */
const MAX_KEPT_METADATA = 64 * 1024;
const STREAMINFO = 0;

interface StreamInfo {
  readonly maxFrameBytes: number;
  readonly sampleRate: number;
  readonly channels: number;
  /** 0 when the encoder did not know (a live stream). */
  readonly totalSamples: number;
}

/** FLAC's STREAMINFO block: 20 bits of sample rate, 3 of channels - 1, 5 of bits - 1, 36 of samples. */
function parseStreamInfo(block: Buffer): StreamInfo {
  const sampleRate = (block[10]! << 12) | (block[11]! << 4) | (block[12]! >> 4);
  const channels = ((block[12]! >> 1) & 0x07) + 1;
  const totalSamples = (block[13]! & 0x0f) * 2 ** 32 + block.readUInt32BE(14);
  return { maxFrameBytes: block.readUIntBE(7, 3), sampleRate, channels, totalSamples };
}

function crc(bytes: Uint8Array, polynomial: number, bits: 8 | 16): number {
  const top = 1 << (bits - 1);
  const mask = (1 << bits) - 1;
  let value = 0;
  for (const byte of bytes) {
    value ^= byte << (bits - 8);
    for (let k = 0; k < 8; k += 1) value = value & top ? ((value << 1) ^ polynomial) & mask : (value << 1) & mask;
  }
  return value;
}

/**
 * The file's last frame, found from its end: a frame sync whose bytes to the end of the file pass
 * the frame's CRC-16. The decoder's frame parser drops a last frame shorter than the others
 * (ffmpeg writes one), so it is handed over separately.
 */
async function lastFrame(reader: ByteReader, info: StreamInfo): Promise<Buffer | undefined> {
  const span = Math.min(reader.size, info.maxFrameBytes > 0 ? info.maxFrameBytes + 16 : 1024 * 1024);
  const tail = await reader.readRange(reader.size - span, span);
  for (let at = tail.length - 4; at >= 0; at -= 1) {
    if (tail[at] !== 0xff || (tail[at + 1]! & 0xfe) !== 0xf8) continue;
    const frame = tail.subarray(at);
    if (frame.length > 4 && crc(frame.subarray(0, frame.length - 2), 0x8005, 16) === frame.readUInt16BE(frame.length - 2)) return frame;
  }
  return undefined;
}

/**
 * Native FLAC. The decoder finds frames by their sync code and checksums and silently drops what
 * it cannot sync to, so the file is checked against the sample count STREAMINFO declares.
 */
export async function openFlac(reader: ByteReader): Promise<CompressedDecoder> {
  const kept: Buffer[] = [await reader.read(4)];
  if (kept[0]!.toString('latin1') !== 'fLaC') throw damaged('FLAC', 'it does not start with a FLAC header');
  let info: StreamInfo | undefined;
  for (let last = false; !last;) {
    const blockHeader = await reader.read(4);
    if (blockHeader.length < 4) throw truncated('FLAC', 'it ends inside its header, before any audio');
    last = (blockHeader[0]! & 0x80) !== 0;
    const type = blockHeader[0]! & 0x7f;
    const length = blockHeader.readUIntBE(1, 3);
    if (length > reader.remaining) throw truncated('FLAC', 'it ends inside its header, before any audio');
    if (type === STREAMINFO) {
      if (length < 34 || info) throw damaged('FLAC', 'its STREAMINFO block is invalid');
      const body = await reader.read(length);
      info = parseStreamInfo(body);
      kept.push(blockHeader, body);
    } else if (type === 127) {
      throw damaged('FLAC', 'its header holds an invalid block');
    } else if (length <= MAX_KEPT_METADATA) {
      kept.push(blockHeader, await reader.read(length));
    } else {
      reader.skip(length);
    }
  }
  if (!info || info.sampleRate === 0) throw damaged('FLAC', 'its STREAMINFO block is missing or invalid');
  const streamInfo = info;
  const decoder = new FLACDecoder();
  try {
    await decoder.ready;
  } catch (error) {
    decoder.free();
    throw error;
  }

  async function* blocks(): AsyncGenerator<DecodedAudio> {
    let decoded = 0;
    /** Where in the file the decoder last gave audio: tells damage (it stops early) from a cut. */
    let lastAudioAt = 0;
    const toAudio = (result: Awaited<ReturnType<FLACDecoder['decode']>>): DecodedAudio | undefined => {
      failOnDecoderErrors('FLAC', result);
      if (result.samplesDecoded === 0) return undefined;
      decoded += result.samplesDecoded;
      lastAudioAt = reader.position;
      return { channelData: result.channelData, samples: result.samplesDecoded, sampleRate: result.sampleRate };
    };
    const header = toAudio(await decoder.decode(Buffer.concat(kept)));
    if (header) yield header;
    while (reader.remaining > 0) {
      const audio = toAudio(await decoder.decode(await reader.read(READ_BYTES)));
      if (audio) yield audio;
    }
    const rest = toAudio(await decoder.flush());
    if (rest) yield rest;
    if (streamInfo.totalSamples > 0 && decoded < streamInfo.totalSamples) {
      const frame = await lastFrame(reader, streamInfo);
      const missing = streamInfo.totalSamples - decoded;
      if (frame) {
        const result = await decoder.decodeFrames([frame]);
        if (result.errors.length === 0 && result.samplesDecoded === missing) {
          const audio = toAudio(result);
          if (audio) yield audio;
          return;
        }
      }
    }
    if (streamInfo.totalSamples > 0 && decoded < streamInfo.totalSamples) {
      const seconds = (n: number) => (n / streamInfo.sampleRate).toFixed(1);
      // The decoder holds back at most a frame or two; audio that stopped well before the end of the
      // file means frames it could not read, not a file that ends early.
      if (reader.size - lastAudioAt > 4 * READ_BYTES)
        throw damaged('FLAC', `only ${seconds(decoded)} s of its ${seconds(streamInfo.totalSamples)} s could be decoded`);
      throw truncated(
        'FLAC',
        `its header declares ${seconds(streamInfo.totalSamples)} s of audio but the file holds ${seconds(decoded)} s`,
      );
    }
  }

  return { formatName: 'FLAC', channels: streamInfo.channels, blocks, free: () => decoder.free() };
}

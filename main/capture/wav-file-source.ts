import type { FileHandle } from 'node:fs/promises';
import { open } from 'node:fs/promises';
import { CAPTURE_SAMPLE_RATE } from '../../shared/domain/capture.js';
import { AudioImportError } from './capture-errors.js';
import { SNIFF_BYTES, sniffAudioFormat } from './audio-sniff.js';
import { ByteReader } from './decoders/byte-reader.js';
import { unsupported } from './decoders/compressed-decoder.js';
import { openCompressedSource } from './decoders/compressed-source.js';
import { floatToInt16 } from '../../shared/audio/pcm.js';
import { Resampler } from '../../shared/audio/resampler.js';
import type { WavInfo } from './wav-header.js';
import { readWavHeader } from './wav-header.js';

/** The source's own rate and channel count, for the import summary. */
export interface AudioSourceInfo {
  readonly sampleRate: number;
  readonly channels: number;
}

/** An audio file checked and ready to stream as 16 kHz mono Int16, a block at a time. */
export interface AudioSource {
  readonly info: AudioSourceInfo;
  readonly formatName: string;
  /**
   * Decoded, mixed down and resampled blocks; the file is read in pieces of at most 64 KiB, never
   * whole. A block is valid only until the next one is requested: copy what you keep.
   */
  blocks(): AsyncGenerator<Int16Array>;
  close(): Promise<void>;
}

const READ_BYTES = 64 * 1024;

/**
 * Opens an audio file for import and checks everything that can be checked before any audio is
 * stored: that it is not empty, that it is audio in a format we decode, and for WAV that its header
 * is sound and that the file holds all the audio the header declares. Compressed files (FLAC, MP3,
 * Ogg Opus/Vorbis, WebM/Matroska Opus) are decoded up to their first audio here; damage further on
 * is found while they stream.
 */
export async function openAudioSource(file: string): Promise<AudioSource> {
  let handle: FileHandle;
  try {
    handle = await open(file, 'r');
  } catch (cause) {
    const code = (cause as NodeJS.ErrnoException).code;
    const reason =
      code === 'ENOENT'
        ? 'it does not exist'
        : code === 'EACCES' || code === 'EPERM'
          ? 'permission was denied'
          : code === 'EISDIR'
            ? 'it is a folder'
            : 'it could not be opened';
    throw new AudioImportError('unreadable', `The audio file cannot be read: ${reason}. Nothing was imported.`, { cause });
  }
  try {
    const stat = await handle.stat();
    if (!stat.isFile())
      throw new AudioImportError('unreadable', 'The audio file cannot be read: it is not a regular file. Nothing was imported.');
    const size = stat.size;
    if (size === 0) throw new AudioImportError('empty', 'The file is empty (0 bytes). Nothing was imported.');
    const readAt = async (position: number, length: number) => {
      const buffer = Buffer.alloc(Math.max(0, Math.min(length, size - position)));
      if (buffer.length === 0) return buffer;
      const { bytesRead } = await handle.read(buffer, 0, buffer.length, position);
      return buffer.subarray(0, bytesRead);
    };
    const sniffed = sniffAudioFormat(await readAt(0, SNIFF_BYTES));
    if (sniffed.kind === 'not_audio')
      throw new AudioImportError('not_audio', `This file is not audio (it looks like ${sniffed.name}). Nothing was imported.`);
    if (sniffed.kind === 'audio') {
      if (!sniffed.decoder) throw unsupported(sniffed.name);
      const compressed = await openCompressedSource(sniffed.decoder, new ByteReader(readAt, size));
      return {
        info: { sampleRate: compressed.sampleRate, channels: compressed.channels },
        formatName: compressed.formatName,
        blocks: () => compressed.blocks(),
        close: async () => {
          compressed.close();
          await handle.close();
        },
      };
    }
    const info = await readWavHeader(readAt, size);
    const formatName = `WAV ${info.encoding === 'float' ? `${info.bitsPerSample}-bit float` : `${info.bitsPerSample}-bit PCM`}`;
    return { info, formatName, blocks: () => decode(handle, info), close: () => handle.close() };
  } catch (error) {
    await handle.close();
    throw error;
  }
}

/** Mixes interleaved frames down to mono floats in [-1, 1). */
function toMonoFloat(bytes: Buffer, info: WavInfo): Float32Array {
  const frames = bytes.length / info.blockAlign;
  const out = new Float32Array(frames);
  const width = info.bitsPerSample / 8;
  const read = sampleReader(bytes, info);
  const scale = 1 / info.channels;
  for (let f = 0; f < frames; f += 1) {
    let sum = 0;
    for (let c = 0; c < info.channels; c += 1) sum += read(f * info.blockAlign + c * width);
    out[f] = sum * scale;
  }
  return out;
}

function sampleReader(bytes: Buffer, info: WavInfo): (offset: number) => number {
  if (info.encoding === 'float') return info.bitsPerSample === 32 ? (o) => bytes.readFloatLE(o) : (o) => bytes.readDoubleLE(o);
  switch (info.bitsPerSample) {
    case 8:
      return (o) => (bytes[o]! - 128) / 128;
    case 16:
      return (o) => bytes.readInt16LE(o) / 32768;
    case 24:
      return (o) => bytes.readIntLE(o, 3) / 8388608;
    default:
      return (o) => bytes.readInt32LE(o) / 2147483648;
  }
}

async function* decode(handle: FileHandle, info: WavInfo): AsyncGenerator<Int16Array> {
  const passThrough =
    info.encoding === 'pcm' && info.bitsPerSample === 16 && info.channels === 1 && info.sampleRate === CAPTURE_SAMPLE_RATE;
  const resampler = info.sampleRate === CAPTURE_SAMPLE_RATE ? undefined : new Resampler(info.sampleRate, CAPTURE_SAMPLE_RATE);
  const blockBytes = Math.max(1, Math.floor(READ_BYTES / info.blockAlign)) * info.blockAlign;
  const end = info.dataOffset + info.dataBytes;
  // One read buffer for the whole file: every block is consumed before the next read (the caller
  // copies what it keeps), so an hour of audio allocates no more than a minute would.
  const reusable = Buffer.allocUnsafe(blockBytes);
  for (let position = info.dataOffset; position < end;) {
    const buffer = reusable.subarray(0, Math.min(blockBytes, end - position));
    const { bytesRead } = await handle.read(buffer, 0, buffer.length, position);
    if (bytesRead < buffer.length) {
      // The header promised these bytes when we checked; the file shrank while we read it.
      throw new AudioImportError('truncated', 'The WAV file is truncated: it became shorter while it was read. Nothing was imported.');
    }
    position += bytesRead;
    if (passThrough) {
      yield new Int16Array(buffer.buffer, buffer.byteOffset, buffer.length / 2);
      continue;
    }
    const mono = toMonoFloat(buffer, info);
    yield floatToInt16(resampler ? resampler.process(mono) : mono);
  }
  if (resampler) yield floatToInt16(resampler.flush());
}

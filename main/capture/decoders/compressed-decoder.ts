import { AudioImportError } from '../capture-errors.js';
import type { ByteReader } from './byte-reader.js';

/** The compressed formats we decode; the importer picks one from the file's first bytes. */
export type CompressedFormat = 'flac' | 'mp3' | 'ogg' | 'matroska';

/** Decoded audio at the file's own rate: one Float32Array per channel, all `samples` long. */
export interface DecodedAudio {
  readonly channelData: readonly Float32Array[];
  readonly samples: number;
  readonly sampleRate: number;
}

/**
 * One compressed file being decoded, a few kilobytes at a time. `blocks()` checks the container as
 * it goes and throws an AudioImportError for a damaged or cut-short file (never a partial success);
 * `free()` releases the WebAssembly decoder and must always be called.
 */
export interface CompressedDecoder {
  /** For the import summary, e.g. "FLAC" or "WebM (Opus)"; known once the headers are read. */
  readonly formatName: string;
  /** The file's channel count as its header declares it (decoders may output more). */
  readonly channels: number;
  blocks(): AsyncGenerator<DecodedAudio>;
  free(): void;
}

export const damaged = (format: string, detail: string, cause?: unknown) =>
  new AudioImportError(
    'damaged',
    `The ${format} file is damaged: ${detail}. Nothing was imported.`,
    cause === undefined ? undefined : { cause },
  );

export const truncated = (format: string, detail = 'it ends in the middle of its audio') =>
  new AudioImportError('truncated', `The ${format} file is truncated: ${detail}. Nothing was imported.`);

export const unsupported = (what: string) =>
  new AudioImportError(
    'unsupported_format',
    `Unsupported format: ${what}; convert to WAV, FLAC, MP3, Ogg (Opus or Vorbis) or WebM (Opus) and import again.`,
  );

/** What the wasm decoders report as `errors`: we fail on the first, naming only the frame. */
export interface DecoderErrors {
  readonly errors: readonly { readonly message: string; readonly frameNumber?: number }[];
}

export function failOnDecoderErrors(format: string, result: DecoderErrors): void {
  if (result.errors.length > 0) throw damaged(format, 'some of its audio could not be decoded');
}

export type OpenDecoder = (reader: ByteReader) => Promise<CompressedDecoder>;

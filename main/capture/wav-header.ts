import { AudioImportError } from './capture-errors.js';

/** What the importer needs to know about a WAV file's audio, read from its header alone. */
export interface WavInfo {
  readonly encoding: 'pcm' | 'float';
  readonly bitsPerSample: number;
  readonly channels: number;
  readonly sampleRate: number;
  /** Bytes per frame (one sample of every channel). */
  readonly blockAlign: number;
  readonly dataOffset: number;
  /** Whole frames only; a trailing partial frame is ignored. */
  readonly dataBytes: number;
  readonly frames: number;
}

/** Reads `length` bytes at `position`; returns fewer only at the end of the file. */
export type ReadAt = (position: number, length: number) => Promise<Buffer>;

export const MIN_SAMPLE_RATE = 8_000;
export const MAX_SAMPLE_RATE = 192_000;
const MAX_CHANNELS = 16;
const MAX_CHUNKS_BEFORE_DATA = 1_000;
/** Writers that could not go back to fill in sizes (a recorder that died, a live stream). */
const UNKNOWN_SIZE = 0xffff_ffff;

const FORMAT_PCM = 0x0001;
const FORMAT_FLOAT = 0x0003;
const FORMAT_EXTENSIBLE = 0xfffe;
/** The tail every WAVE_FORMAT_EXTENSIBLE sub-format GUID shares; its first two bytes are the format code. */
const KSDATAFORMAT_TAIL = Buffer.from([0x00, 0x00, 0x00, 0x00, 0x10, 0x00, 0x80, 0x00, 0x00, 0xaa, 0x00, 0x38, 0x9b, 0x71]);

const CODEC_NAMES: Readonly<Record<number, string>> = {
  0x0002: 'Microsoft ADPCM',
  0x0006: 'A-law',
  0x0007: 'µ-law',
  0x0011: 'IMA ADPCM',
  0x0031: 'GSM 6.10',
  0x0050: 'MPEG',
  0x0055: 'MP3',
  0x00ff: 'AAC',
  0x1610: 'AAC',
  0xf1ac: 'FLAC',
};

const invalid = (reason: string) => new AudioImportError('invalid_header', `The WAV header is invalid: ${reason}. Nothing was imported.`);
const truncatedHeader = () =>
  new AudioImportError('truncated', 'The WAV file is truncated: it ends inside its header, before any audio. Nothing was imported.');

interface Format {
  readonly encoding: 'pcm' | 'float';
  readonly bitsPerSample: number;
  readonly channels: number;
  readonly sampleRate: number;
  readonly blockAlign: number;
}

function parseFormat(fmt: Buffer): Format {
  if (fmt.length < 16) throw invalid(`its format chunk is ${fmt.length} bytes, at least 16 are needed`);
  let tag = fmt.readUInt16LE(0);
  const channels = fmt.readUInt16LE(2);
  const sampleRate = fmt.readUInt32LE(4);
  const blockAlign = fmt.readUInt16LE(12);
  const bitsPerSample = fmt.readUInt16LE(14);
  if (tag === FORMAT_EXTENSIBLE) {
    if (fmt.length < 40) throw invalid('its extensible format chunk is too short');
    if (!fmt.subarray(26, 40).equals(KSDATAFORMAT_TAIL))
      throw new AudioImportError(
        'unsupported_format',
        'Unsupported format: a WAV with a vendor-specific encoding; convert to WAV (16-bit PCM) and import again.',
      );
    tag = fmt.readUInt16LE(24);
  }
  if (tag !== FORMAT_PCM && tag !== FORMAT_FLOAT) {
    const codec = CODEC_NAMES[tag] ?? `codec 0x${tag.toString(16).padStart(4, '0')}`;
    throw new AudioImportError(
      'unsupported_format',
      `Unsupported format: WAV with ${codec} audio; convert to WAV (16-bit PCM) and import again.`,
    );
  }
  if (channels < 1 || channels > MAX_CHANNELS) throw invalid(`it declares ${channels} channels`);
  if (sampleRate < MIN_SAMPLE_RATE || sampleRate > MAX_SAMPLE_RATE)
    throw invalid(`its sample rate of ${sampleRate} Hz is outside ${MIN_SAMPLE_RATE}-${MAX_SAMPLE_RATE} Hz`);
  const encoding = tag === FORMAT_FLOAT ? 'float' : 'pcm';
  const supported = encoding === 'float' ? [32, 64] : [8, 16, 24, 32];
  if (!supported.includes(bitsPerSample)) {
    throw new AudioImportError(
      'unsupported_format',
      `Unsupported format: ${encoding === 'float' ? 'floating-point' : 'PCM'} WAV with ${bitsPerSample}-bit samples; convert to WAV (16-bit PCM) and import again.`,
    );
  }
  if (blockAlign !== (channels * bitsPerSample) / 8)
    throw invalid(`its block size (${blockAlign}) does not match ${channels} channel(s) of ${bitsPerSample} bits`);
  return { encoding, bitsPerSample, channels, sampleRate, blockAlign };
}

/**
 * Walks the RIFF chunks up to `data`, skipping the ones we do not need (LIST, fact, bext, JUNK ...),
 * and checks that the file really holds the audio its header declares.
 */
export async function readWavHeader(readAt: ReadAt, fileSize: number): Promise<WavInfo> {
  const riff = await readAt(0, 12);
  if (riff.length < 12) throw truncatedHeader();
  if (riff.toString('latin1', 0, 4) !== 'RIFF') throw invalid('it does not start with RIFF');
  if (riff.toString('latin1', 8, 12) !== 'WAVE') throw invalid('it is a RIFF file but not of type WAVE');

  let format: Format | undefined;
  let position = 12;
  for (let chunks = 0; chunks < MAX_CHUNKS_BEFORE_DATA; chunks += 1) {
    const header = await readAt(position, 8);
    if (header.length < 8)
      throw format
        ? new AudioImportError('truncated', 'The WAV file is truncated: it ends before its audio data. Nothing was imported.')
        : truncatedHeader();
    const id = header.toString('latin1', 0, 4);
    const size = header.readUInt32LE(4);
    const body = position + 8;
    if (id === 'fmt ') {
      if (body + size > fileSize) throw truncatedHeader();
      format = parseFormat(await readAt(body, Math.min(size, 64)));
    } else if (id === 'data') {
      if (!format) throw invalid('its audio data comes before its format chunk');
      const available = fileSize - body;
      let declared = size;
      // Size never filled in: the audio runs to the end of the file.
      if (size === UNKNOWN_SIZE || (size === 0 && available > 0)) declared = available;
      if (declared > available) {
        const seconds = (bytes: number) => (bytes / format!.blockAlign / format!.sampleRate).toFixed(1);
        throw new AudioImportError(
          'truncated',
          `The WAV file is truncated: its header declares ${seconds(declared)} s of audio but the file holds ${seconds(available)} s. Nothing was imported.`,
        );
      }
      const frames = Math.floor(declared / format.blockAlign);
      if (frames === 0) throw new AudioImportError('no_audio', 'The WAV file holds no audio (0 samples). Nothing was imported.');
      return { ...format, dataOffset: body, dataBytes: frames * format.blockAlign, frames };
    } else if (!/^[\x20-\x7e]{4}$/.test(id)) {
      throw invalid('it holds a damaged chunk before the audio data');
    }
    // Chunks are padded to an even length.
    position = body + size + (size % 2);
    if (position > fileSize)
      throw format
        ? new AudioImportError('truncated', 'The WAV file is truncated: it ends before its audio data. Nothing was imported.')
        : truncatedHeader();
  }
  throw invalid('too many chunks before the audio data');
}

/** A canonical 44-byte header for 16-bit PCM; `dataBytes` is the size of the samples that follow. */
export function wavHeader(sampleRate: number, channels: number, dataBytes: number): Buffer {
  if (dataBytes > UNKNOWN_SIZE - 36) throw new RangeError('WAV files hold at most 4 GB of audio');
  const header = Buffer.alloc(44);
  header.write('RIFF', 0, 'latin1');
  header.writeUInt32LE(36 + dataBytes, 4);
  header.write('WAVE', 8, 'latin1');
  header.write('fmt ', 12, 'latin1');
  header.writeUInt32LE(16, 16);
  header.writeUInt16LE(FORMAT_PCM, 20);
  header.writeUInt16LE(channels, 22);
  header.writeUInt32LE(sampleRate, 24);
  header.writeUInt32LE(sampleRate * channels * 2, 28);
  header.writeUInt16LE(channels * 2, 32);
  header.writeUInt16LE(16, 34);
  header.write('data', 36, 'latin1');
  header.writeUInt32LE(dataBytes, 40);
  return header;
}

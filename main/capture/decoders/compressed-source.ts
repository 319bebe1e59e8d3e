import { CAPTURE_SAMPLE_RATE } from '../../../shared/domain/capture.js';
import { floatToInt16 } from '../../../shared/audio/pcm.js';
import { Resampler } from '../../../shared/audio/resampler.js';
import type { ByteReader } from './byte-reader.js';
import type { CompressedDecoder, CompressedFormat, DecodedAudio, OpenDecoder } from './compressed-decoder.js';
import { damaged } from './compressed-decoder.js';
import { openFlac } from './flac-decoder.js';
import { openMatroskaOpus } from './matroska-opus-decoder.js';
import { openMp3 } from './mp3-decoder.js';
import { openOgg } from './ogg-decoder.js';

const OPENERS: Readonly<Record<CompressedFormat, OpenDecoder>> = { flac: openFlac, mp3: openMp3, ogg: openOgg, matroska: openMatroskaOpus };

/** A compressed file, decoded far enough to know its rate and that it really decodes. */
export interface CompressedSource {
  readonly formatName: string;
  readonly sampleRate: number;
  readonly channels: number;
  /** 16 kHz mono blocks, each valid until the next is asked for. */
  blocks(): AsyncGenerator<Int16Array>;
  close(): void;
}

/**
 * Opens a compressed file and decodes its first audio before anything is stored, so a file that
 * is damaged from the start, or holds no audio, is refused without touching the visit. Damage found
 * later surfaces from blocks() as an AudioImportError; the importer then removes what it stored.
 */
export async function openCompressedSource(format: CompressedFormat, reader: ByteReader): Promise<CompressedSource> {
  const decoder: CompressedDecoder = await OPENERS[format](reader);
  let closed = false;
  const close = () => {
    if (closed) return;
    closed = true;
    decoder.free();
  };
  try {
    const decoded = decoder.blocks();
    const first = await decoded.next();
    const primed: DecodedAudio | undefined = first.done ? undefined : first.value;
    const sampleRate = primed?.sampleRate ?? CAPTURE_SAMPLE_RATE;
    if (!Number.isInteger(sampleRate) || sampleRate < 8_000 || sampleRate > 192_000)
      throw damaged(decoder.formatName, `its sample rate (${sampleRate} Hz) is not one we can use`);
    return {
      formatName: decoder.formatName,
      sampleRate,
      channels: decoder.channels,
      blocks: () => convert(decoder.formatName, primed, decoded, sampleRate),
      close,
    };
  } catch (error) {
    close();
    throw error;
  }
}

async function* convert(
  format: string,
  primed: DecodedAudio | undefined,
  rest: AsyncGenerator<DecodedAudio>,
  sampleRate: number,
): AsyncGenerator<Int16Array> {
  if (!primed) return;
  const resampler = sampleRate === CAPTURE_SAMPLE_RATE ? undefined : new Resampler(sampleRate, CAPTURE_SAMPLE_RATE);
  let mono = new Float32Array(0);
  const toMono = (audio: DecodedAudio): Float32Array => {
    if (audio.sampleRate !== sampleRate) throw damaged(format, 'its sample rate changes part-way through');
    if (mono.length < audio.samples) mono = new Float32Array(audio.samples);
    const out = mono.subarray(0, audio.samples);
    const channels = audio.channelData;
    if (channels.length === 1) {
      out.set(channels[0]!.subarray(0, audio.samples));
      return out;
    }
    const scale = 1 / channels.length;
    for (let i = 0; i < audio.samples; i += 1) {
      let sum = 0;
      for (const channel of channels) sum += channel[i]!;
      out[i] = sum * scale;
    }
    return out;
  };
  const emit = (audio: DecodedAudio) => {
    const samples = toMono(audio);
    return floatToInt16(resampler ? resampler.process(samples) : samples);
  };
  yield emit(primed);
  for await (const audio of rest) yield emit(audio);
  if (resampler) yield floatToInt16(resampler.flush());
}

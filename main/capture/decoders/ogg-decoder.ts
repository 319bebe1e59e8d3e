import { OggVorbisDecoder } from '@wasm-audio-decoders/ogg-vorbis';
import { OggOpusDecoder } from 'ogg-opus-decoder';
import type { ByteReader } from './byte-reader.js';
import type { CompressedDecoder, DecodedAudio } from './compressed-decoder.js';
import { damaged, failOnDecoderErrors, unsupported } from './compressed-decoder.js';
import type { OggPage } from './ogg-pages.js';
import { oggPages } from './ogg-pages.js';

/** Pages are handed to the decoder about this many bytes at a time. */
const BATCH_BYTES = 16 * 1024;

interface OggAudioDecoder {
  readonly ready: Promise<void>;
  decode(data: Uint8Array): DecoderResult | Promise<DecoderResult>;
  flush(): Promise<DecoderResult>;
  free(): void;
}

interface DecoderResult {
  readonly channelData: Float32Array[];
  readonly samplesDecoded: number;
  readonly sampleRate: number;
  readonly errors: readonly { readonly message: string }[];
}

/** Ogg Opus (RFC 7845) and Ogg Vorbis, told apart by the first packet of the first page. */
export async function openOgg(reader: ByteReader): Promise<CompressedDecoder> {
  let format = 'Ogg';
  const pages = oggPages(reader, () => format);
  const next = await pages.next();
  if (next.done) throw damaged('Ogg', 'it has no pages');
  const first: OggPage = next.value;
  const packet = first.firstPacket;
  let channels: number;
  let decoder: OggAudioDecoder;
  if (packet.length >= 19 && packet.toString('latin1', 0, 8) === 'OpusHead') {
    format = 'Ogg Opus';
    channels = packet[9]!;
    decoder = new OggOpusDecoder();
  } else if (packet.length >= 30 && packet[0] === 1 && packet.toString('latin1', 1, 7) === 'vorbis') {
    format = 'Ogg Vorbis';
    channels = packet[11]!;
    decoder = new OggVorbisDecoder();
  } else {
    const codec = packet.toString('latin1', 0, 8).startsWith('Speex')
      ? 'Speex'
      : packet.toString('latin1', 1, 5) === 'FLAC'
        ? 'FLAC'
        : 'an unknown codec';
    throw unsupported(`Ogg with ${codec} audio`);
  }
  if (channels < 1) throw damaged(format, 'its header declares 0 channels');
  try {
    await decoder.ready;
  } catch (error) {
    decoder.free();
    throw error;
  }
  const toAudio = (result: DecoderResult): DecodedAudio | undefined => {
    failOnDecoderErrors(format, result);
    return result.samplesDecoded > 0
      ? { channelData: result.channelData, samples: result.samplesDecoded, sampleRate: result.sampleRate }
      : undefined;
  };

  async function* blocks(): AsyncGenerator<DecodedAudio> {
    let batch: Buffer[] = [first.bytes];
    let batchBytes = batch[0]!.length;
    for await (const page of pages) {
      batch.push(page.bytes);
      batchBytes += page.bytes.length;
      if (batchBytes >= BATCH_BYTES || page.last) {
        const audio = toAudio(await decoder.decode(Buffer.concat(batch, batchBytes)));
        batch = [];
        batchBytes = 0;
        if (audio) yield audio;
      }
    }
    if (batch.length > 0) {
      // A stream whose first page is also its last.
      const audio = toAudio(await decoder.decode(Buffer.concat(batch, batchBytes)));
      if (audio) yield audio;
    }
    const rest = toAudio(await decoder.flush());
    if (rest) yield rest;
  }

  return { formatName: format, channels, blocks, free: () => decoder.free() };
}

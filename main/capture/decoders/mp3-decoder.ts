import { MPEGDecoder } from 'mpg123-decoder';
import type { ByteReader } from './byte-reader.js';
import type { CompressedDecoder, DecodedAudio } from './compressed-decoder.js';
import { damaged, failOnDecoderErrors } from './compressed-decoder.js';
import type { MpegFrameHeader } from './mp3-frames.js';
import { mpegFrames } from './mp3-frames.js';

/** Frames per decode call: about a second of audio. */
const BATCH_FRAMES = 40;

/** MP3 (and MPEG-1/2 layers I and II), a frame at a time through mpg123. */
export async function openMp3(reader: ByteReader): Promise<CompressedDecoder> {
  let first: MpegFrameHeader | undefined;
  const frames = mpegFrames(reader, (header) => (first = header));
  const head = await frames.next();
  if (head.done || !first) throw damaged('MP3', 'no audio frames were found in it');
  const header: MpegFrameHeader = first;
  const decoder = new MPEGDecoder();
  try {
    await decoder.ready;
  } catch (error) {
    decoder.free();
    throw error;
  }
  const format = header.layer === 3 ? 'MP3' : `MPEG layer ${header.layer === 1 ? 'I' : 'II'}`;

  async function* blocks(): AsyncGenerator<DecodedAudio> {
    let batch: Uint8Array[] = [head.value as Buffer];
    const decode = (): DecodedAudio | undefined => {
      const result = decoder.decodeFrames(batch);
      batch = [];
      failOnDecoderErrors(format, result);
      if (result.samplesDecoded === 0) return undefined;
      // mpg123 always gives two channels; a mono file's are the same.
      const channelData = header.channels === 1 ? result.channelData.slice(0, 1) : result.channelData;
      return { channelData, samples: result.samplesDecoded, sampleRate: result.sampleRate };
    };
    for await (const frame of frames) {
      batch.push(frame);
      if (batch.length >= BATCH_FRAMES) {
        const audio = decode();
        if (audio) yield audio;
      }
    }
    if (batch.length > 0) {
      const audio = decode();
      if (audio) yield audio;
    }
  }

  return { formatName: format, channels: header.channels, blocks, free: () => decoder.free() };
}

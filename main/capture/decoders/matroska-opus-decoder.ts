import { OpusDecoder } from 'opus-decoder';
import type { ByteReader } from './byte-reader.js';
import type { CompressedDecoder, DecodedAudio } from './compressed-decoder.js';
import { failOnDecoderErrors } from './compressed-decoder.js';
import { MatroskaDemuxer } from './matroska-demuxer.js';

const OPUS_RATE = 48_000;
/** Packets per decode call: 20 ms each, so about a second of audio. */
const BATCH_PACKETS = 50;

/** WebM/Matroska with an Opus track: what browsers' MediaRecorder writes. */
export async function openMatroskaOpus(reader: ByteReader): Promise<CompressedDecoder> {
  const demuxer = new MatroskaDemuxer(reader);
  const track = await demuxer.open();
  const format = demuxer.format;
  const decoder = new OpusDecoder({
    channels: track.channels,
    preSkip: track.preSkip,
    streamCount: track.streamCount,
    coupledStreamCount: track.coupledStreamCount,
    channelMappingTable: [...track.channelMapping],
  });
  try {
    await decoder.ready;
  } catch (error) {
    decoder.free();
    throw error;
  }

  async function* blocks(): AsyncGenerator<DecodedAudio> {
    let batch: Uint8Array[] = [];
    const decode = (discardNs: number): DecodedAudio | undefined => {
      if (batch.length === 0) return undefined;
      const result = decoder.decodeFrames(batch);
      batch = [];
      failOnDecoderErrors(format, result);
      // The encoder's padding after the end of the recording (BlockGroup DiscardPadding).
      const discard = Math.min(result.samplesDecoded, Math.round((discardNs * OPUS_RATE) / 1e9));
      const samples = result.samplesDecoded - discard;
      if (samples <= 0) return undefined;
      const channelData = discard > 0 ? result.channelData.map((c) => c.subarray(0, samples)) : result.channelData;
      return { channelData, samples, sampleRate: OPUS_RATE };
    };
    for await (const packet of demuxer.packets()) {
      batch.push(packet.data);
      if (batch.length >= BATCH_PACKETS || packet.discardNs > 0) {
        const audio = decode(packet.discardNs);
        if (audio) yield audio;
      }
    }
    const audio = decode(0);
    if (audio) yield audio;
  }

  return { formatName: `${format} (Opus)`, channels: track.channels, blocks, free: () => decoder.free() };
}

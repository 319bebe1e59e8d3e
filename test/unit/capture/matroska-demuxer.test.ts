import assert from 'node:assert/strict';
import { describe, test } from 'vitest';
import { AudioImportError } from '../../../main/capture/capture-errors.js';
import { ByteReader } from '../../../main/capture/decoders/byte-reader.js';
import { MatroskaDemuxer, parseBlock } from '../../../main/capture/decoders/matroska-demuxer.js';

/** An element with a known size (written as an 8-byte size, as muxers that patch sizes do). */
const el = (id: number, ...body: (Buffer | number[] | string)[]): Buffer => {
  const data = Buffer.concat(body.map((b) => (Buffer.isBuffer(b) ? b : typeof b === 'string' ? Buffer.from(b, 'latin1') : Buffer.from(b))));
  const idBytes = Buffer.from(id.toString(16).padStart(id > 0xffffff ? 8 : id > 0xffff ? 6 : id > 0xff ? 4 : 2, '0'), 'hex');
  const size = Buffer.alloc(8);
  size.writeBigUInt64BE(BigInt(data.length) | (1n << 56n));
  return Buffer.concat([idBytes, size, data]);
};
/** A master element of unknown size, as MediaRecorder writes the segment and its clusters. */
const unknown = (id: number, ...body: Buffer[]) =>
  Buffer.concat([Buffer.from(id.toString(16), 'hex'), Buffer.from([0x01, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff]), ...body]);

const opusHead = (channels = 1, preSkip = 312) => {
  const head = Buffer.alloc(19);
  head.write('OpusHead', 0, 'latin1');
  head[8] = 1;
  head[9] = channels;
  head.writeUInt16LE(preSkip, 10);
  head.writeUInt32LE(48_000, 12);
  return head;
};
const header = (docType = 'webm') => el(0x1a45dfa3, el(0x4282, docType));
const track = (number: number, type: number, codec: string, priv?: Buffer) =>
  el(0xae, el(0xd7, [number]), el(0x83, [type]), el(0x86, codec), ...(priv ? [el(0x63a2, priv)] : []));
/** A SimpleBlock (or Block) header: track number as a 1-byte vint, timecode 0, flags. */
const blockHead = (trackNumber: number, flags = 0x80) => Buffer.from([0x80 | trackNumber, 0, 0, flags]);
const simpleBlock = (trackNumber: number, ...frames: string[]) => el(0xa3, blockHead(trackNumber), frames.join(''));

async function demux(file: Buffer): Promise<{ track: Awaited<ReturnType<MatroskaDemuxer['open']>>; packets: string[]; discard: number[] }> {
  const demuxer = new MatroskaDemuxer(ByteReader.of(file));
  const t = await demuxer.open();
  const packets: string[] = [];
  const discard: number[] = [];
  for await (const packet of demuxer.packets()) {
    packets.push(packet.data.toString('latin1'));
    discard.push(packet.discardNs);
  }
  return { track: t, packets, discard };
}

async function refusal(file: Buffer): Promise<AudioImportError> {
  try {
    await demux(file);
  } catch (error) {
    assert.ok(error instanceof AudioImportError, String(error));
    return error;
  }
  assert.fail('the file was accepted');
}

describe('Matroska/WebM demuxer', () => {
  const tracks = el(0x1654ae6b, track(1, 1, 'V_VP8'), track(2, 2, 'A_OPUS', opusHead(2, 3840)));

  test('finds the Opus track after a video track and reads OpusHead', async () => {
    const file = Buffer.concat([
      header(),
      el(0x18538067, tracks, el(0x1f43b675, el(0xe7, [0]), simpleBlock(1, 'VIDEO'), simpleBlock(2, 'pkt1'), simpleBlock(2, 'pkt2'))),
    ]);
    const { track: t, packets } = await demux(file);
    assert.deepEqual([t.number, t.channels, t.preSkip, t.streamCount, t.coupledStreamCount], [2, 2, 3840, 1, 1]);
    assert.deepEqual(packets, ['pkt1', 'pkt2'], 'video blocks are skipped');
  });

  test('unknown-size segment and clusters (MediaRecorder) end where the next cluster begins', async () => {
    const file = Buffer.concat([
      header(),
      unknown(
        0x18538067,
        tracks,
        unknown(0x1f43b675, el(0xe7, [0]), simpleBlock(2, 'a')),
        unknown(0x1f43b675, el(0xe7, [20]), simpleBlock(2, 'b'), simpleBlock(2, 'c')),
      ),
    ]);
    assert.deepEqual((await demux(file)).packets, ['a', 'b', 'c']);
  });

  test('BlockGroup with a Block and DiscardPadding', async () => {
    const group = el(0xa0, el(0xa1, blockHead(2, 0), 'last'), el(0x75a2, [0x00, 0x98, 0x96, 0x80]));
    const file = Buffer.concat([header(), el(0x18538067, tracks, el(0x1f43b675, simpleBlock(2, 'first'), group))]);
    const { packets, discard } = await demux(file);
    assert.deepEqual(packets, ['first', 'last']);
    assert.deepEqual(discard, [0, 10_000_000]);
  });

  test('Xiph, EBML and fixed-size lacing', () => {
    const xiph = Buffer.concat([
      blockHead(1, 0x82),
      Buffer.from([2, 255, 45, 3]),
      Buffer.alloc(300, 0x41),
      Buffer.from('bbb'),
      Buffer.from('cc'),
    ]);
    assert.deepEqual(
      parseBlock(xiph, 1).map((f) => f.length),
      [300, 3, 2],
    );
    // EBML lacing: first size 5 (0x85), then +2 as a signed 1-byte vint (0x80 | (2 + 63)).
    const ebml = Buffer.concat([
      blockHead(1, 0x86),
      Buffer.from([2, 0x85, 0x80 | 65]),
      Buffer.from('aaaaa'),
      Buffer.from('bbbbbbb'),
      Buffer.from('c'),
    ]);
    assert.deepEqual(
      parseBlock(ebml, 1).map((f) => f.toString('latin1')),
      ['aaaaa', 'bbbbbbb', 'c'],
    );
    const fixed = Buffer.concat([blockHead(1, 0x84), Buffer.from([2]), Buffer.from('aabbcc')]);
    assert.deepEqual(
      parseBlock(fixed, 1).map((f) => f.toString('latin1')),
      ['aa', 'bb', 'cc'],
    );
    assert.deepEqual(parseBlock(fixed, 2), [], 'another track');
    assert.throws(() => parseBlock(Buffer.concat([blockHead(1, 0x84), Buffer.from([2]), Buffer.from('aabbc')]), 1), /does not divide/);
    assert.throws(() => parseBlock(Buffer.concat([blockHead(1, 0x82), Buffer.from([1, 200]), Buffer.from('short')]), 1), /overrun/);
  });

  test('a laced SimpleBlock in a file yields each frame', async () => {
    const laced = el(0xa3, blockHead(2, 0x82), Buffer.from([1, 3]), 'onetwo');
    const file = Buffer.concat([header(), el(0x18538067, tracks, el(0x1f43b675, laced))]);
    assert.deepEqual((await demux(file)).packets, ['one', 'two']);
  });

  test('a file without an Opus track names its codec', async () => {
    const vorbis = Buffer.concat([header(), el(0x18538067, el(0x1654ae6b, track(1, 2, 'A_VORBIS')))]);
    const error = await refusal(vorbis);
    assert.equal(error.problem, 'unsupported_format');
    assert.match(error.message, /^Unsupported format: WebM with Vorbis audio;/);
    const video = await refusal(Buffer.concat([header(), el(0x18538067, el(0x1654ae6b, track(1, 1, 'V_VP9')))]));
    assert.match(video.message, /WebM without an audio track/);
    const mkv = await refusal(Buffer.concat([header('matroska'), el(0x18538067, el(0x1654ae6b, track(1, 2, 'A_AAC')))]));
    assert.match(mkv.message, /Matroska with AAC audio/);
  });

  test('cut short, overrunning and garbage input are told apart', async () => {
    const whole = Buffer.concat([header(), el(0x18538067, tracks, el(0x1f43b675, simpleBlock(2, 'pkt1'), simpleBlock(2, 'pkt2')))]);
    const cut = await refusal(whole.subarray(0, whole.length - 3));
    assert.equal(cut.problem, 'truncated');
    assert.match(cut.message, /^The WebM file is truncated/);
    const garbage = await refusal(
      Buffer.concat([header(), unknown(0x18538067, tracks, unknown(0x1f43b675, simpleBlock(2, 'ok')), Buffer.from([0x00, 0x00, 0x13]))]),
    );
    assert.equal(garbage.problem, 'damaged');
    const noHead = await refusal(Buffer.concat([header(), el(0x18538067, el(0x1654ae6b, track(1, 2, 'A_OPUS')))]));
    assert.match(noHead.message, /no valid OpusHead/);
    const early = await refusal(Buffer.concat([header(), el(0x18538067, el(0x1f43b675, simpleBlock(1, 'x')), tracks)]));
    assert.match(early.message, /audio comes before its track list/);
  });
});

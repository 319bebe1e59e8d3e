import assert from 'node:assert/strict';
import { describe, test } from 'vitest';
import { sniffAudioFormat } from '../../../main/capture/audio-sniff.js';
import { AudioImportError } from '../../../main/capture/capture-errors.js';
import type { WavInfo } from '../../../main/capture/wav-header.js';
import { readWavHeader, wavHeader } from '../../../main/capture/wav-header.js';

const bytes = (...parts: (string | number[] | Buffer)[]) =>
  Buffer.concat(parts.map((p) => (typeof p === 'string' ? Buffer.from(p, 'latin1') : Buffer.isBuffer(p) ? p : Buffer.from(p))));
const u32 = (n: number) => {
  const b = Buffer.alloc(4);
  b.writeUInt32LE(n);
  return b;
};

describe('audio format sniffing (magic bytes, never the file name)', () => {
  const cases: [string, Buffer, string, string?][] = [
    ['WAV', bytes('RIFF', u32(100), 'WAVEfmt '), 'wav'],
    ['FLAC', bytes('fLaC', [0, 0, 0, 34]), 'audio', 'FLAC'],
    ['MP3 with ID3 tag', bytes('ID3', [4, 0, 0]), 'audio', 'MP3'],
    ['MP3 frame', bytes([0xff, 0xfb, 0x90, 0x64]), 'audio', 'MP3'],
    ['AAC ADTS', bytes([0xff, 0xf1, 0x50, 0x80]), 'audio', 'AAC (ADTS)'],
    ['M4A', bytes([0, 0, 0, 0x20], 'ftypM4A ', [0, 0, 0, 0]), 'audio', 'M4A (AAC/ALAC in MP4)'],
    ['MP4', bytes([0, 0, 0, 0x20], 'ftypisom', [0, 0, 0, 0]), 'audio', 'MP4 (brand isom)'],
    ['WebM', bytes([0x1a, 0x45, 0xdf, 0xa3, 0x9f, 0x42, 0x86, 0x81, 0x01, 0x42, 0x82, 0x84], 'webm'), 'audio', 'WebM'],
    ['Ogg Opus', bytes('OggS', Buffer.alloc(24), 'OpusHead'), 'audio', 'Ogg Opus'],
    ['Ogg Vorbis', bytes('OggS', Buffer.alloc(24), [1], 'vorbis'), 'audio', 'Ogg Vorbis'],
    ['AIFF', bytes('FORM', u32(100), 'AIFF'), 'audio', 'AIFF'],
    ['RF64', bytes('RF64', u32(0xffffffff), 'WAVE'), 'audio', 'RF64 WAV (over 4 GB)'],
    ['PDF', bytes('%PDF-1.7\n'), 'not_audio', 'PDF document'],
    ['PNG', bytes([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a]), 'not_audio', 'PNG image'],
    ['ZIP', bytes([0x50, 0x4b, 0x03, 0x04]), 'not_audio', 'ZIP archive (or an Office document)'],
    ['AVI', bytes('RIFF', u32(100), 'AVI '), 'not_audio', 'AVI video'],
    ['text', bytes('Patient said the pain started on Monday.\n'), 'not_audio', 'text'],
    ['random bytes', bytes([0x00, 0x13, 0x88, 0xfe, 0x01, 0x02]), 'not_audio', 'unrecognised binary data'],
  ];
  for (const [name, head, kind, format] of cases) {
    test(name, () => {
      const sniffed = sniffAudioFormat(head);
      assert.equal(sniffed.kind, kind);
      if (format) assert.equal('name' in sniffed ? sniffed.name : undefined, format);
    });
  }
});

interface FmtOptions {
  tag?: number;
  channels?: number;
  rate?: number;
  bits?: number;
  blockAlign?: number;
}

function fmtChunk(o: FmtOptions = {}): Buffer {
  const channels = o.channels ?? 1;
  const bits = o.bits ?? 16;
  const rate = o.rate ?? 16_000;
  const fmt = Buffer.alloc(16);
  fmt.writeUInt16LE(o.tag ?? 1, 0);
  fmt.writeUInt16LE(channels, 2);
  fmt.writeUInt32LE(rate, 4);
  fmt.writeUInt32LE((rate * channels * bits) / 8, 8);
  fmt.writeUInt16LE(o.blockAlign ?? (channels * bits) / 8, 12);
  fmt.writeUInt16LE(bits, 14);
  return bytes('fmt ', u32(16), fmt);
}

const chunk = (id: string, body: Buffer) => bytes(id, u32(body.length), body, body.length % 2 ? [0] : []);
const riff = (...chunks: Buffer[]) => {
  const body = Buffer.concat(chunks);
  return bytes('RIFF', u32(4 + body.length), 'WAVE', body);
};

async function parse(file: Buffer): Promise<WavInfo> {
  return readWavHeader(
    (position, length) => Promise.resolve(file.subarray(position, Math.min(file.length, position + length))),
    file.length,
  );
}

async function rejects(file: Buffer, problem: string, message: RegExp): Promise<void> {
  await assert.rejects(parse(file), (error: unknown) => {
    assert.ok(error instanceof AudioImportError, `an AudioImportError, got ${String(error)}`);
    assert.equal(error.problem, problem);
    assert.match(error.message, message);
    return true;
  });
}

describe('WAV header', () => {
  test('reads a plain 16-bit mono file', async () => {
    const info = await parse(riff(fmtChunk(), chunk('data', Buffer.alloc(3200))));
    assert.deepEqual(info, {
      encoding: 'pcm',
      bitsPerSample: 16,
      channels: 1,
      sampleRate: 16_000,
      blockAlign: 2,
      dataOffset: 44,
      dataBytes: 3200,
      frames: 1600,
    });
  });

  test('skips other chunks (an odd-sized one with its pad byte) before the audio', async () => {
    const info = await parse(
      riff(fmtChunk({ channels: 2, rate: 44_100 }), chunk('LIST', Buffer.alloc(27)), chunk('data', Buffer.alloc(4000))),
    );
    assert.equal(info.channels, 2);
    assert.equal(info.sampleRate, 44_100);
    assert.equal(info.frames, 1000);
    assert.equal(info.dataOffset, 12 + 24 + 8 + 28 + 8);
  });

  test('reads 32-bit float and WAVE_FORMAT_EXTENSIBLE headers', async () => {
    assert.equal((await parse(riff(fmtChunk({ tag: 3, bits: 32 }), chunk('data', Buffer.alloc(400))))).encoding, 'float');
    const ext = Buffer.alloc(40);
    fmtChunk({ tag: 0xfffe, channels: 2, bits: 24, rate: 48_000 }).copy(ext, 0, 8);
    ext.writeUInt16LE(22, 16);
    ext.writeUInt16LE(24, 18);
    ext.writeUInt32LE(3, 20);
    Buffer.from([0x03, 0x00, 0x00, 0x00, 0x00, 0x00, 0x10, 0x00, 0x80, 0x00, 0x00, 0xaa, 0x00, 0x38, 0x9b, 0x71]).copy(ext, 24);
    ext.writeUInt16LE(1, 24);
    const info = await parse(riff(chunk('fmt ', ext), chunk('data', Buffer.alloc(600))));
    assert.deepEqual([info.encoding, info.bitsPerSample, info.channels, info.frames], ['pcm', 24, 2, 100]);
  });

  test('takes a data size left unset by a recorder that died as "to the end of the file"', async () => {
    const file = riff(fmtChunk(), bytes('data', u32(0xffffffff), Buffer.alloc(2000)));
    assert.equal((await parse(file)).frames, 1000);
  });

  test('a file shorter than its header declares is truncated, with both durations', async () => {
    const full = riff(fmtChunk(), chunk('data', Buffer.alloc(32_000)));
    await rejects(full.subarray(0, 44 + 16_000), 'truncated', /declares 1\.0 s of audio but the file holds 0\.5 s/);
    await rejects(full.subarray(0, 30), 'truncated', /ends inside its header/);
    await rejects(full.subarray(0, 8), 'truncated', /ends inside its header/);
  });

  test('a header without audio', async () => {
    await rejects(riff(fmtChunk(), chunk('data', Buffer.alloc(0))), 'no_audio', /holds no audio/);
  });

  test('wrong headers each say what is wrong', async () => {
    await rejects(bytes('RIFF', u32(100), 'WAVX', fmtChunk()), 'invalid_header', /not of type WAVE/);
    await rejects(riff(chunk('data', Buffer.alloc(100)), fmtChunk()), 'invalid_header', /audio data comes before its format/);
    await rejects(riff(fmtChunk({ channels: 0 }), chunk('data', Buffer.alloc(100))), 'invalid_header', /declares 0 channels/);
    await rejects(riff(fmtChunk({ rate: 0 }), chunk('data', Buffer.alloc(100))), 'invalid_header', /sample rate of 0 Hz/);
    await rejects(riff(fmtChunk({ blockAlign: 3 }), chunk('data', Buffer.alloc(100))), 'invalid_header', /block size/);
    await rejects(riff(bytes([0x00, 0x01, 0xff, 0x7f], u32(4), Buffer.alloc(4))), 'invalid_header', /damaged chunk/);
  });

  test('codecs inside WAV that we do not decode are named', async () => {
    await rejects(
      riff(fmtChunk({ tag: 6, bits: 8 }), chunk('data', Buffer.alloc(100))),
      'unsupported_format',
      /WAV with A-law audio; convert to WAV/,
    );
    await rejects(riff(fmtChunk({ tag: 0x55 }), chunk('data', Buffer.alloc(100))), 'unsupported_format', /MP3/);
    await rejects(riff(fmtChunk({ bits: 12, blockAlign: 2 }), chunk('data', Buffer.alloc(100))), 'unsupported_format', /12-bit/);
  });

  test('writes a canonical 16 kHz mono header that reads back', async () => {
    const file = Buffer.concat([wavHeader(16_000, 1, 6400), Buffer.alloc(6400)]);
    assert.deepEqual(await parse(file), {
      encoding: 'pcm',
      bitsPerSample: 16,
      channels: 1,
      sampleRate: 16_000,
      blockAlign: 2,
      dataOffset: 44,
      dataBytes: 6400,
      frames: 3200,
    });
  });
});

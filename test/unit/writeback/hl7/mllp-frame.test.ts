import assert from 'node:assert/strict';
import { describe, test } from 'vitest';
import { MllpDecoder, encodeMllpFrame } from '../../../../main/writeback/hl7/mllp-frame.js';
import { MllpFrameError } from '../../../../main/writeback/hl7/hl7-errors.js';

const VT = 0x0b;
const FS = 0x1c;
const CR = 0x0d;
const decoder = (maxFrameBytes = 1024) => new MllpDecoder({ maxFrameBytes });
const text = (frames: Buffer[]) => frames.map((f) => f.toString('utf8'));
const MSG_A = 'MSH|^~\\&|A|||||||A1|P|2.5.1\rMSA|AA|X\r';
const MSG_B = 'MSH|^~\\&|B|||||||B1|P|2.5.1\rOBX|1|TX|||café 日本 🩺\r';

describe('MLLP framing', () => {
  test('a frame is VT, the UTF-8 message, FS CR', () => {
    const frame = encodeMllpFrame('MSH|é');
    assert.deepEqual([...frame], [VT, ...Buffer.from('MSH|é', 'utf8'), FS, CR]);
  });

  test('a message holding VT or FS is refused rather than framed wrongly', () => {
    const refused = (error: unknown) => error instanceof MllpFrameError && error.reason === 'hl7.control_byte_in_payload';
    assert.throws(() => encodeMllpFrame('MSH|\x0b'), refused);
    assert.throws(() => encodeMllpFrame('MSH|\x1c'), refused);
  });

  test('decodes one frame in one chunk', () => {
    assert.deepEqual(text(decoder().push(encodeMllpFrame(MSG_A))), [MSG_A]);
  });

  test('decodes several frames coalesced into one chunk', () => {
    const chunk = Buffer.concat([encodeMllpFrame(MSG_A), encodeMllpFrame(MSG_B), encodeMllpFrame(MSG_A)]);
    assert.deepEqual(text(decoder().push(chunk)), [MSG_A, MSG_B, MSG_A]);
  });

  test('decodes frames split at every possible byte, including between FS and CR and inside a UTF-8 character', () => {
    const stream = Buffer.concat([encodeMllpFrame(MSG_A), encodeMllpFrame(MSG_B)]);
    for (let cut = 1; cut < stream.length; cut += 1) {
      const d = decoder();
      const frames = [...d.push(stream.subarray(0, cut)), ...d.push(stream.subarray(cut))];
      assert.deepEqual(text(frames), [MSG_A, MSG_B], `cut at ${cut}`);
    }
  });

  test('decodes a stream fed one byte at a time', () => {
    const d = decoder();
    const frames: Buffer[] = [];
    for (const byte of Buffer.concat([encodeMllpFrame(MSG_B), encodeMllpFrame(MSG_A)])) frames.push(...d.push(Buffer.of(byte)));
    assert.deepEqual(text(frames), [MSG_B, MSG_A]);
    assert.equal(d.midFrame, false);
  });

  test('the end marker split across chunks: FS ends one chunk, CR starts the next', () => {
    const frame = encodeMllpFrame(MSG_A);
    const d = decoder();
    assert.deepEqual(d.push(frame.subarray(0, frame.length - 1)), []);
    assert.equal(d.midFrame, true);
    assert.deepEqual(text(d.push(frame.subarray(frame.length - 1))), [MSG_A]);
  });

  test('garbage between and around frames is dropped and counted', () => {
    const d = decoder();
    const chunk = Buffer.concat([
      Buffer.from('noise\r\n'),
      encodeMllpFrame(MSG_A),
      Buffer.from([0x00, 0x0d, 0x0a]),
      encodeMllpFrame(MSG_B),
      Buffer.from('tail'),
    ]);
    assert.deepEqual(text(d.push(chunk)), [MSG_A, MSG_B]);
    assert.equal(d.discardedBytes, 7 + 3 + 4);
  });

  test('a VT inside a frame abandons the partial frame and starts a new one', () => {
    const d = decoder();
    const chunk = Buffer.concat([Buffer.of(VT), Buffer.from('MSH|partial'), encodeMllpFrame(MSG_A)]);
    assert.deepEqual(text(d.push(chunk)), [MSG_A]);
    assert.equal(d.discardedBytes, 'MSH|partial'.length);
  });

  test('an FS not followed by CR is content, not the end', () => {
    const d = decoder();
    const frames = d.push(Buffer.concat([Buffer.of(VT), Buffer.from('ab'), Buffer.of(FS), Buffer.from('cd'), Buffer.of(FS, CR)]));
    assert.deepEqual(
      frames.map((f) => [...f]),
      [[0x61, 0x62, FS, 0x63, 0x64]],
    );
  });

  test('an empty frame decodes as an empty message', () => {
    assert.deepEqual(text(decoder().push(Buffer.of(VT, FS, CR))), ['']);
  });

  test('a frame over the size limit is refused, and the next frame still decodes', () => {
    const d = decoder(64);
    const big = encodeMllpFrame('X'.repeat(65));
    assert.throws(
      () => d.push(big),
      (error: unknown) => error instanceof MllpFrameError && error.reason === 'hl7.frame_too_large',
    );
    assert.deepEqual(text(d.push(encodeMllpFrame('MSH|small'))), ['MSH|small']);
  });

  test('the size limit also holds when the frame arrives in small pieces', () => {
    const d = decoder(64);
    const big = encodeMllpFrame('Y'.repeat(200));
    assert.throws(() => {
      for (let i = 0; i < big.length; i += 10) d.push(big.subarray(i, i + 10));
    }, MllpFrameError);
  });

  test('a frame exactly at the limit is accepted', () => {
    assert.deepEqual(text(decoder(64).push(encodeMllpFrame('Z'.repeat(64)))), ['Z'.repeat(64)]);
  });
});

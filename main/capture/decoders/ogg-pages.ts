import type { ByteReader } from './byte-reader.js';
import { damaged, truncated, unsupported } from './compressed-decoder.js';

/** One Ogg page, whole and checked (RFC 3533): its bytes go to the decoder as they are. */
export interface OggPage {
  readonly bytes: Buffer;
  readonly firstPacket: Buffer;
  readonly last: boolean;
}

const HEADER_BYTES = 27;
const FLAG_BOS = 0x02;
const FLAG_EOS = 0x04;

const CRC_TABLE = (() => {
  const table = new Uint32Array(256);
  for (let i = 0; i < 256; i += 1) {
    let r = i << 24;
    for (let k = 0; k < 8; k += 1) r = r & 0x80000000 ? (r << 1) ^ 0x04c11db7 : r << 1;
    table[i] = r >>> 0;
  }
  return table;
})();

/** Ogg's CRC-32 (polynomial 0x04c11db7, not reflected), computed with the CRC field as zeros. */
export function oggCrc(page: Uint8Array): number {
  let crc = 0;
  for (let i = 0; i < page.length; i += 1) {
    const byte = i >= 22 && i < 26 ? 0 : page[i]!;
    crc = ((crc << 8) ^ CRC_TABLE[((crc >>> 24) ^ byte) & 0xff]!) >>> 0;
  }
  return crc;
}

/**
 * Reads an Ogg stream's pages in order, checking each page's checksum and sequence number, that
 * there is one logical stream, and that the last page is marked as the end of the stream: a file
 * that was cut short or damaged is refused rather than imported in part. `formatName` names the
 * file in errors ("Ogg Opus" once the first page has said which).
 */
export async function* oggPages(reader: ByteReader, formatName: () => string): AsyncGenerator<OggPage> {
  let serial: number | undefined;
  let expectedSequence = 0;
  for (;;) {
    const format = formatName();
    if (reader.remaining === 0) throw truncated(format, 'its last page is missing');
    const header = await reader.read(HEADER_BYTES);
    if (header.length < HEADER_BYTES) throw truncated(format);
    if (header.toString('latin1', 0, 4) !== 'OggS' || header[4] !== 0) throw damaged(format, 'it holds bytes that are not Ogg pages');
    const flags = header[5]!;
    const pageSerial = header.readUInt32LE(14);
    const sequence = header.readUInt32LE(18);
    const segments = header[26]!;
    const table = await reader.read(segments);
    if (table.length < segments) throw truncated(format);
    const bodyBytes = table.reduce((sum, n) => sum + n, 0);
    const body = await reader.read(bodyBytes);
    if (body.length < bodyBytes) throw truncated(format);
    const bytes = Buffer.concat([header, table, body]);
    if (oggCrc(bytes) !== header.readUInt32LE(22)) throw damaged(format, 'a page fails its checksum');
    if (serial === undefined) {
      if (!(flags & FLAG_BOS)) throw damaged(format, 'it does not start at the beginning of a stream');
      serial = pageSerial;
    } else if (pageSerial !== serial) {
      throw unsupported(`${format} with more than one stream (chained or multiplexed)`);
    }
    if (sequence !== expectedSequence) throw damaged(format, 'pages are missing from it');
    expectedSequence += 1;
    let firstLength = 0;
    for (const lace of table) {
      firstLength += lace;
      if (lace < 255) break;
    }
    const last = (flags & FLAG_EOS) !== 0;
    yield { bytes, firstPacket: body.subarray(0, firstLength), last };
    if (last) {
      if (reader.remaining > 0) throw damaged(format, 'it continues after the end of its stream');
      return;
    }
  }
}

import type { ByteReader } from './byte-reader.js';
import { damaged, truncated, unsupported } from './compressed-decoder.js';
import { EbmlFormatError, UNKNOWN_SIZE, children, readId, readInt, readSize, readUint, vintLength } from './ebml.js';

const ID = {
  EBML: 0x1a45dfa3,
  DocType: 0x4282,
  Segment: 0x18538067,
  Tracks: 0x1654ae6b,
  TrackEntry: 0xae,
  TrackNumber: 0xd7,
  TrackType: 0x83,
  CodecID: 0x86,
  CodecPrivate: 0x63a2,
  Cluster: 0x1f43b675,
  SimpleBlock: 0xa3,
  BlockGroup: 0xa0,
  Block: 0xa1,
  DiscardPadding: 0x75a2,
} as const;

/** What may appear directly in a Cluster: anything else ends a cluster of unknown size. */
const CLUSTER_CHILDREN = new Set([0xe7, 0x5854, 0xa7, 0xab, ID.SimpleBlock, ID.BlockGroup, 0xaf, 0xec, 0xbf]);
const TRACK_TYPE_AUDIO = 2;
/** Track lists and single blocks are read whole; real ones are kilobytes. */
const MAX_TRACKS_BYTES = 1024 * 1024;
const MAX_BLOCK_BYTES = 16 * 1024 * 1024;
const MAX_FRAMES_PER_BLOCK = 256;

/** The Opus track, from its TrackEntry and OpusHead (RFC 7845 §5.1). */
export interface OpusTrack {
  readonly number: number;
  readonly channels: number;
  readonly preSkip: number;
  readonly streamCount: number;
  readonly coupledStreamCount: number;
  readonly channelMapping: readonly number[];
}

/** One Opus packet; `discardNs` is the silence the encoder padded the last packet with. */
export interface MatroskaPacket {
  readonly data: Buffer;
  readonly discardNs: number;
}

interface OpenElement {
  readonly id: number;
  readonly end: number;
}

interface TrackEntry {
  number: number;
  type: number;
  codec: string;
  codecPrivate?: Buffer;
}

const CODEC_NAMES: Readonly<Record<string, string>> = {
  A_VORBIS: 'Vorbis',
  A_AAC: 'AAC',
  A_FLAC: 'FLAC',
  A_PCM: 'PCM',
  A_MPEG: 'MP3',
  A_AC3: 'AC-3',
  A_EAC3: 'E-AC-3',
  A_OPUS: 'Opus',
};
const codecName = (codec: string) =>
  CODEC_NAMES[codec] ?? CODEC_NAMES[Object.keys(CODEC_NAMES).find((k) => codec.startsWith(k)) ?? ''] ?? 'an unknown codec';

/**
 * A streaming Matroska/WebM demuxer for one Opus audio track: reads the EBML header and the track
 * list, then hands out the Opus packets of SimpleBlocks and BlockGroups, undoing Xiph, EBML and
 * fixed-size lacing. Clusters (and the segment) may have unknown sizes, as MediaRecorder writes
 * them; other tracks, cues, tags and the like are skipped unread.
 */
export class MatroskaDemuxer {
  private readonly reader: ByteReader;
  private readonly stack: OpenElement[] = [];
  private formatLabel = 'WebM';
  private opus: OpusTrack | undefined;

  constructor(reader: ByteReader) {
    this.reader = reader;
  }

  /** "WebM" or "Matroska", from the file's DocType once the header is read. */
  get format(): string {
    return this.formatLabel;
  }

  /** Reads up to the track list and picks the Opus track; refuses files without one. */
  async open(): Promise<OpusTrack> {
    try {
      await this.readHeader();
      for (;;) {
        const element = await this.next();
        if (!element) throw damaged(this.formatLabel, 'it has no track list');
        if (element.id === ID.Tracks) {
          if (element.size === UNKNOWN_SIZE || element.size > MAX_TRACKS_BYTES)
            throw damaged(this.formatLabel, 'its track list is invalid');
          this.opus = this.pickTrack(await this.body(element.size));
          return this.opus;
        }
        if (element.id === ID.Cluster) throw damaged(this.formatLabel, 'its audio comes before its track list');
        this.skip(element.size);
      }
    } catch (error) {
      throw this.translate(error);
    }
  }

  /** The selected track's packets, in file order. */
  async *packets(): AsyncGenerator<MatroskaPacket> {
    const track = this.opus;
    if (!track) throw new Error('open() first');
    try {
      for (;;) {
        const element = await this.next();
        if (!element) return;
        if (element.id === ID.Cluster) {
          this.stack.push({ id: ID.Cluster, end: element.size === UNKNOWN_SIZE ? Infinity : element.dataStart + element.size });
        } else if (element.id === ID.SimpleBlock && this.inCluster()) {
          const block = await this.block(element.size, track.number);
          if (block) for (const data of block) yield { data, discardNs: 0 };
        } else if (element.id === ID.BlockGroup && this.inCluster()) {
          yield* this.blockGroup(await this.body(element.size, MAX_BLOCK_BYTES), track.number);
        } else {
          this.skip(element.size);
        }
      }
    } catch (error) {
      throw this.translate(error);
    }
  }

  private inCluster(): boolean {
    return this.stack.at(-1)?.id === ID.Cluster;
  }

  private translate(error: unknown): unknown {
    return error instanceof EbmlFormatError ? damaged(this.formatLabel, 'its structure is invalid', error) : error;
  }

  private async readHeader(): Promise<void> {
    const element = await this.next();
    if (element?.id !== ID.EBML || element.size === UNKNOWN_SIZE || element.size > 4096)
      throw damaged('Matroska', 'its EBML header is invalid');
    const header = await this.body(element.size);
    let docType = 'matroska';
    for (const child of children(header)) if (child.id === ID.DocType) docType = child.body.toString('latin1').replace(/\0+$/, '');
    if (docType === 'webm') this.formatLabel = 'WebM';
    else if (docType === 'matroska') this.formatLabel = 'Matroska';
    else throw unsupported(`an EBML file of type "${docType.replace(/[^\x20-\x7e]/g, '?').slice(0, 20)}"`);
    const segment = await this.next();
    if (segment?.id !== ID.Segment) throw damaged(this.formatLabel, 'it has no segment after its header');
    this.stack.push({ id: ID.Segment, end: segment.size === UNKNOWN_SIZE ? Infinity : segment.dataStart + segment.size });
  }

  private pickTrack(tracks: Buffer): OpusTrack {
    const entries: TrackEntry[] = [];
    for (const child of children(tracks)) {
      if (child.id !== ID.TrackEntry) continue;
      const entry: TrackEntry = { number: 0, type: 0, codec: '' };
      for (const field of children(child.body)) {
        if (field.id === ID.TrackNumber) entry.number = readUint(field.body);
        else if (field.id === ID.TrackType) entry.type = readUint(field.body);
        else if (field.id === ID.CodecID) entry.codec = field.body.toString('latin1').replace(/\0+$/, '');
        else if (field.id === ID.CodecPrivate) entry.codecPrivate = field.body;
      }
      entries.push(entry);
    }
    const audio = entries.filter((e) => e.type === TRACK_TYPE_AUDIO);
    const opus = audio.find((e) => e.codec === 'A_OPUS');
    if (!opus) {
      if (audio.length === 0) throw unsupported(`${this.formatLabel} without an audio track`);
      throw unsupported(`${this.formatLabel} with ${codecName(audio[0]!.codec)} audio`);
    }
    if (opus.number < 1) throw damaged(this.formatLabel, 'its audio track has no number');
    return { number: opus.number, ...parseOpusHead(opus.codecPrivate, this.formatLabel) };
  }

  private *blockGroup(group: Buffer, trackNumber: number): Generator<MatroskaPacket> {
    let frames: Buffer[] | undefined;
    let discardNs = 0;
    for (const child of children(group)) {
      if (child.id === ID.Block) frames = parseBlock(child.body, trackNumber);
      else if (child.id === ID.DiscardPadding) discardNs = Math.max(0, readInt(child.body));
    }
    if (!frames) return;
    for (const [i, data] of frames.entries()) yield { data, discardNs: i === frames.length - 1 ? discardNs : 0 };
  }

  /** A SimpleBlock's frames if it belongs to our track; other tracks' blocks are skipped unread. */
  private async block(size: number, trackNumber: number): Promise<Buffer[] | undefined> {
    if (size === UNKNOWN_SIZE || size > MAX_BLOCK_BYTES) throw damaged(this.formatLabel, 'a block has an invalid size');
    const head = await this.reader.read(Math.min(size, 8));
    if (head.length < Math.min(size, 8)) throw truncated(this.formatLabel);
    const length = vintLength(head[0] ?? 0);
    if (length === 0 || length > head.length) throw damaged(this.formatLabel, 'a block has an invalid track number');
    if (readSize(head, 0).value !== trackNumber) {
      this.skip(size - head.length);
      return undefined;
    }
    const rest = await this.body(size - head.length);
    return parseBlock(Buffer.concat([head, rest]), trackNumber);
  }

  /** Reads the next element's ID and size, closing the parents it lies outside of. */
  private async next(): Promise<{ id: number; size: number; dataStart: number } | undefined> {
    for (;;) {
      const position = this.reader.position;
      while (this.stack.length > 0 && position >= this.stack.at(-1)!.end) {
        if (position > this.stack.at(-1)!.end) throw damaged(this.formatLabel, 'an element overruns its parent');
        this.stack.pop();
      }
      if (this.reader.remaining === 0) {
        if (this.stack.some((e) => e.end !== Infinity && e.end > this.reader.size)) throw truncated(this.formatLabel);
        return undefined;
      }
      const head = await this.reader.read(1);
      const idLength = vintLength(head[0]!);
      if (idLength === 0 || idLength > 4) throw damaged(this.formatLabel, 'it holds bytes that are not Matroska elements');
      const idRest = await this.reader.read(idLength - 1);
      if (idRest.length < idLength - 1) throw truncated(this.formatLabel);
      const idBytes = Buffer.concat([head, idRest]);
      const id = readId(idBytes, 0).value;
      const sizeFirst = await this.reader.read(1);
      if (sizeFirst.length === 0) throw truncated(this.formatLabel);
      const sizeLength = vintLength(sizeFirst[0]!);
      if (sizeLength === 0) throw damaged(this.formatLabel, 'it holds bytes that are not Matroska elements');
      const sizeRest = await this.reader.read(sizeLength - 1);
      if (sizeRest.length < sizeLength - 1) throw truncated(this.formatLabel);
      const size = readSize(Buffer.concat([sizeFirst, sizeRest]), 0).value;
      const top = this.stack.at(-1);
      if (top?.id === ID.Cluster && top.end === Infinity && !CLUSTER_CHILDREN.has(id)) this.stack.pop();
      if (id === ID.EBML && position > 0) {
        // A second EBML document appended (chained recordings): we import the first only.
        throw unsupported(`${this.formatLabel} with more than one segment`);
      }
      const dataStart = this.reader.position;
      const parent = this.stack.at(-1);
      if (parent && size !== UNKNOWN_SIZE && parent.end !== Infinity && dataStart + size > parent.end)
        throw damaged(this.formatLabel, 'an element overruns its parent');
      return { id, size, dataStart };
    }
  }

  private skip(size: number): void {
    if (size === UNKNOWN_SIZE) throw damaged(this.formatLabel, 'an element of unknown size cannot be skipped');
    if (size > this.reader.remaining) throw truncated(this.formatLabel);
    this.reader.skip(size);
  }

  private async body(size: number, max = MAX_TRACKS_BYTES): Promise<Buffer> {
    if (size === UNKNOWN_SIZE || size > max) throw damaged(this.formatLabel, 'an element has an invalid size');
    const bytes = await this.reader.read(size);
    if (bytes.length < size) throw truncated(this.formatLabel);
    return bytes;
  }
}

/** RFC 7845 §5.1: OpusHead, which Matroska carries as the track's CodecPrivate. */
function parseOpusHead(head: Buffer | undefined, format: string): Omit<OpusTrack, 'number'> {
  if (!head || head.length < 19 || head.toString('latin1', 0, 8) !== 'OpusHead') {
    throw damaged(format, 'its Opus track has no valid OpusHead');
  }
  const channels = head[9]!;
  const preSkip = head.readUInt16LE(10);
  const family = head[18]!;
  if (channels < 1) throw damaged(format, 'its Opus track declares 0 channels');
  if (family === 0) {
    if (channels > 2) throw damaged(format, 'its Opus track declares more than 2 channels without a channel mapping');
    return { channels, preSkip, streamCount: 1, coupledStreamCount: channels - 1, channelMapping: channels === 2 ? [0, 1] : [0] };
  }
  if (head.length < 21 + channels) throw damaged(format, 'its Opus channel mapping is cut short');
  const streamCount = head[19]!;
  const coupledStreamCount = head[20]!;
  if (streamCount < 1 || coupledStreamCount > streamCount) throw damaged(format, 'its Opus channel mapping is invalid');
  return { channels, preSkip, streamCount, coupledStreamCount, channelMapping: [...head.subarray(21, 21 + channels)] };
}

/**
 * The frames of a (Simple)Block for `trackNumber`, or [] if it belongs to another track. Lacing packs
 * several frames into one block; the three kinds are undone here (Matroska spec §10.3).
 */
export function parseBlock(block: Buffer, trackNumber: number): Buffer[] {
  const number = readSize(block, 0);
  if (number.value !== trackNumber) return [];
  let at = number.length + 3;
  if (at > block.length) throw new EbmlFormatError('block header cut short');
  const lacing = (block[number.length + 2]! >> 1) & 0x03;
  if (lacing === 0) return [block.subarray(at)];
  if (at >= block.length) throw new EbmlFormatError('laced block without a frame count');
  const count = block[at]! + 1;
  at += 1;
  if (count > MAX_FRAMES_PER_BLOCK) throw new EbmlFormatError('too many laced frames');
  const sizes: number[] = [];
  if (lacing === 1) {
    // Xiph: each size but the last as a run of 255s plus a final byte below 255.
    for (let i = 0; i < count - 1; i += 1) {
      let size = 0;
      let byte: number;
      do {
        if (at >= block.length) throw new EbmlFormatError('lace sizes cut short');
        byte = block[at++]!;
        size += byte;
      } while (byte === 255);
      sizes.push(size);
    }
  } else if (lacing === 3) {
    // EBML: the first size as a vint, each next one as a signed difference from the one before.
    const first = readSize(block, at);
    if (first.value === UNKNOWN_SIZE) throw new EbmlFormatError('invalid lace size');
    sizes.push(first.value);
    at += first.length;
    for (let i = 1; i < count - 1; i += 1) {
      const raw = readSize(block, at);
      if (raw.value === UNKNOWN_SIZE) throw new EbmlFormatError('invalid lace size');
      const bias = 2 ** (7 * raw.length - 1) - 1;
      sizes.push(sizes[i - 1]! + raw.value - bias);
      at += raw.length;
    }
  } else {
    const total = block.length - at;
    if (total % count !== 0) throw new EbmlFormatError('fixed-size lacing does not divide the block');
    for (let i = 0; i < count - 1; i += 1) sizes.push(total / count);
  }
  const used = sizes.reduce((sum, n) => sum + n, 0);
  if (sizes.some((n) => n < 0) || at + used > block.length) throw new EbmlFormatError('lace sizes overrun the block');
  sizes.push(block.length - at - used);
  const frames: Buffer[] = [];
  for (const size of sizes) {
    frames.push(block.subarray(at, at + size));
    at += size;
  }
  return frames;
}

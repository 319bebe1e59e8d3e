import type { CompressedFormat } from './decoders/compressed-decoder.js';

/**
 * What a file is, from its first bytes (never its name): WAV; another audio format, named (with
 * the decoder that reads it, if we have one) so the user knows what to convert; or something that
 * is not audio at all.
 */
export type SniffResult =
  | { readonly kind: 'wav' }
  | { readonly kind: 'audio'; readonly name: string; readonly decoder?: CompressedFormat }
  | { readonly kind: 'not_audio'; readonly name: string };

/** Enough of the file to tell the formats below apart. */
export const SNIFF_BYTES = 64;

const ascii = (head: Buffer, offset: number, length: number) => head.toString('latin1', offset, offset + length);
const startsWith = (head: Buffer, bytes: readonly number[], offset = 0) => bytes.every((b, i) => head[offset + i] === b);

function sniffRiff(head: Buffer): SniffResult {
  const form = ascii(head, 8, 4);
  if (form === 'WAVE') return { kind: 'wav' };
  if (form === 'AVI ') return { kind: 'not_audio', name: 'AVI video' };
  if (form === 'WEBP') return { kind: 'not_audio', name: 'WebP image' };
  if (form === 'RMID') return { kind: 'not_audio', name: 'MIDI music data (not a recording)' };
  // RIFF with a damaged or unknown form type: most likely a broken WAV.
  return { kind: 'wav' };
}

// MP4/M4A (AAC) has no decoder here on purpose: the one maintained WebAssembly AAC decoder on npm
// (@audio/decode-aac) is FAAD2 under GPL-2.0, which a proprietary desktop app cannot ship.
function sniffMp4(head: Buffer): SniffResult {
  const brand = ascii(head, 8, 4);
  if (brand.startsWith('M4A') || brand.startsWith('M4B') || brand.startsWith('M4P'))
    return { kind: 'audio', name: 'M4A (AAC/ALAC in MP4)' };
  if (brand.startsWith('3g')) return { kind: 'audio', name: '3GP' };
  if (brand === 'qt  ') return { kind: 'audio', name: 'QuickTime movie' };
  return { kind: 'audio', name: `MP4 (brand ${brand.replace(/[^\x20-\x7e]/g, '?').trim() || 'unknown'})` };
}

function sniffOgg(head: Buffer): SniffResult {
  const body = ascii(head, 28, 8);
  if (body.startsWith('OpusHead')) return { kind: 'audio', name: 'Ogg Opus', decoder: 'ogg' };
  if (body.startsWith('\x01vorbis')) return { kind: 'audio', name: 'Ogg Vorbis', decoder: 'ogg' };
  if (body.startsWith('Speex')) return { kind: 'audio', name: 'Ogg Speex' };
  if (body.startsWith('\x7fFLAC')) return { kind: 'audio', name: 'Ogg FLAC' };
  // A first page of several packets, or damaged: the decoder looks closer.
  return { kind: 'audio', name: 'Ogg', decoder: 'ogg' };
}

function sniffMatroska(head: Buffer): SniffResult {
  return head.includes('webm', 0, 'latin1')
    ? { kind: 'audio', name: 'WebM', decoder: 'matroska' }
    : { kind: 'audio', name: 'Matroska (MKA/MKV)', decoder: 'matroska' };
}

/** Text (an exported transcript, a CSV, an HTML page): printable UTF-8 with no control bytes. */
function looksLikeText(head: Buffer): boolean {
  if (head.length === 0) return false;
  const text = head.toString('utf8');
  if (text.includes('\ufffd') && head.length >= 4) {
    // A multi-byte character cut at the sniff boundary is still text.
    const trimmed = head.subarray(0, head.length - 3).toString('utf8');
    if (trimmed.includes('\ufffd')) return false;
  }
  return [...head].every((b) => b === 0x09 || b === 0x0a || b === 0x0d || b >= 0x20) && !head.includes(0x7f);
}

export function sniffAudioFormat(head: Buffer): SniffResult {
  const tag4 = ascii(head, 0, 4);
  if (tag4 === 'RIFF') return sniffRiff(head);
  if (tag4 === 'RF64' || tag4 === 'BW64') return { kind: 'audio', name: 'RF64 WAV (over 4 GB)' };
  if (tag4 === 'RIFX') return { kind: 'audio', name: 'big-endian WAV (RIFX)' };
  if (tag4 === 'fLaC') return { kind: 'audio', name: 'FLAC', decoder: 'flac' };
  if (tag4 === 'OggS') return sniffOgg(head);
  if (tag4 === 'FORM' && ['AIFF', 'AIFC'].includes(ascii(head, 8, 4))) return { kind: 'audio', name: 'AIFF' };
  if (tag4 === 'caff') return { kind: 'audio', name: 'Core Audio (CAF)' };
  if (tag4 === '.snd') return { kind: 'audio', name: 'Sun/NeXT AU' };
  if (tag4 === 'MThd') return { kind: 'not_audio', name: 'MIDI music data (not a recording)' };
  if (ascii(head, 4, 4) === 'ftyp') return sniffMp4(head);
  if (startsWith(head, [0x1a, 0x45, 0xdf, 0xa3])) return sniffMatroska(head);
  if (ascii(head, 0, 5) === '#!AMR') return { kind: 'audio', name: 'AMR' };
  if (startsWith(head, [0x30, 0x26, 0xb2, 0x75, 0x8e, 0x66, 0xcf, 0x11])) return { kind: 'audio', name: 'Windows Media (WMA/ASF)' };
  if (ascii(head, 0, 3) === 'ID3') return { kind: 'audio', name: 'MP3', decoder: 'mp3' };
  if (head.length >= 2 && head[0] === 0xff && (head[1]! & 0xe0) === 0xe0) {
    const layer = (head[1]! >> 1) & 0x03;
    if (layer !== 0) return { kind: 'audio', name: 'MP3', decoder: 'mp3' };
    if ((head[1]! & 0xf6) === 0xf0) return { kind: 'audio', name: 'AAC (ADTS)' };
  }
  if (tag4 === '%PDF') return { kind: 'not_audio', name: 'PDF document' };
  if (startsWith(head, [0x89, 0x50, 0x4e, 0x47])) return { kind: 'not_audio', name: 'PNG image' };
  if (startsWith(head, [0xff, 0xd8, 0xff])) return { kind: 'not_audio', name: 'JPEG image' };
  if (ascii(head, 0, 3) === 'GIF') return { kind: 'not_audio', name: 'GIF image' };
  if (startsWith(head, [0x50, 0x4b, 0x03, 0x04])) return { kind: 'not_audio', name: 'ZIP archive (or an Office document)' };
  if (startsWith(head, [0x1f, 0x8b])) return { kind: 'not_audio', name: 'gzip archive' };
  if (startsWith(head, [0x7f, 0x45, 0x4c, 0x46])) return { kind: 'not_audio', name: 'program (ELF)' };
  if (ascii(head, 0, 2) === 'MZ') return { kind: 'not_audio', name: 'Windows program' };
  if (ascii(head, 0, 16) === 'SQLite format 3\0') return { kind: 'not_audio', name: 'SQLite database' };
  if (looksLikeText(head)) return { kind: 'not_audio', name: 'text' };
  return { kind: 'not_audio', name: 'unrecognised binary data' };
}

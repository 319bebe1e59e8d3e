import type { TranscriptFormat } from '../../../shared/domain/transcript.js';
import type { ImportedTurn } from './imported-turn.js';
import { parseJsonSegments } from './json-segments.js';
import { parsePlainText } from './plain-text.js';
import { parseWebVtt } from './webvtt.js';

export type ConcreteFormat = Exclude<TranscriptFormat, 'auto'>;

/** WebVTT by its header, JSON by an opening brace or an array of objects, plain turns otherwise ("[doctor] …" is text). */
export function detectFormat(content: string): ConcreteFormat {
  const head = content.replace(/^\uFEFF/, '').trimStart();
  if (head.startsWith('WEBVTT')) return 'vtt';
  if (/^(?:\{|\[\s*(?:\{|\]))/.test(head)) return 'json';
  return 'text';
}

/** Reads a whole transcript file or throws a TranscriptFormatError naming the line; nothing partial comes back. */
export function parseTranscript(content: string, format: TranscriptFormat): { format: ConcreteFormat; turns: ImportedTurn[] } {
  const concrete = format === 'auto' ? detectFormat(content) : format;
  const turns = concrete === 'vtt' ? parseWebVtt(content) : concrete === 'json' ? parseJsonSegments(content) : parsePlainText(content);
  return { format: concrete, turns: turns.filter((t) => t.text !== '') };
}

import { z } from 'zod';
import { Speaker } from '../../../shared/domain/transcript.js';
import type { ImportedTurn } from './imported-turn.js';
import { speakerFromLabel } from './speaker-label.js';
import { noSegments, notJson, segmentEndsBeforeStart, segmentInvalid, segmentsExpected } from './transcript-format-error.js';

/**
 * Our own segments ({startMs, endMs, speaker, text}) or Whisper-style ones ({start, end, text} in
 * seconds), as an array or under "segments". Ids in the file are not kept: the store numbers
 * imported segments itself.
 */
const FileSegment = z
  .object({
    startMs: z.number().int().nonnegative().optional(),
    endMs: z.number().int().nonnegative().optional(),
    start: z.number().nonnegative().optional(),
    end: z.number().nonnegative().optional(),
    speaker: z.string().max(80).optional(),
    text: z.string(),
    confidence: z.number().min(0).max(1).optional(),
  })
  .refine((s) => (s.startMs !== undefined && s.endMs !== undefined) || (s.start !== undefined && s.end !== undefined), {
    message: 'needs startMs and endMs (milliseconds) or start and end (seconds)',
    path: ['startMs'],
  });

const FileShape = z.union([z.array(z.unknown()), z.object({ segments: z.array(z.unknown()) })]);

/** 1-based line of a character offset. */
function lineAt(text: string, offset: number): number {
  let line = 1;
  for (let i = 0; i < offset && i < text.length; i += 1) if (text.charCodeAt(i) === 10) line += 1;
  return line;
}

/**
 * Lines where each element of the segment array begins: the top-level array, or the array under a
 * top-level "segments" key. A small scanner, because JSON.parse keeps no positions.
 */
function elementLines(text: string): number[] {
  const lines: number[] = [];
  const stack: { kind: 'array' | 'object'; key: string | undefined; target: boolean }[] = [];
  let line = 1;
  let lastKey: string | undefined;
  let expectElement = false;
  for (let i = 0; i < text.length; i += 1) {
    const c = text[i]!;
    if (c === '\n') {
      line += 1;
      continue;
    }
    if (c === ' ' || c === '\t' || c === '\r') continue;
    const top = stack.at(-1);
    if (expectElement && top?.target && c !== ']') lines.push(line);
    expectElement = false;
    if (c === '"') {
      let j = i + 1;
      while (j < text.length && text[j] !== '"') j += text[j] === '\\' ? 2 : 1;
      const value = text.slice(i + 1, j);
      i = j;
      if (top?.kind === 'object') lastKey = value;
      continue;
    }
    if (c === '[') {
      const target = stack.length === 0 || (stack.length === 1 && top?.kind === 'object' && lastKey === 'segments');
      stack.push({ kind: 'array', key: lastKey, target });
      expectElement = true;
    } else if (c === '{') {
      stack.push({ kind: 'object', key: lastKey, target: false });
      lastKey = undefined;
    } else if (c === ']' || c === '}') {
      stack.pop();
    } else if (c === ',' && top?.kind === 'array') {
      expectElement = true;
    }
  }
  return lines;
}

export function parseJsonSegments(content: string): ImportedTurn[] {
  const text = content.replace(/^\uFEFF/, '');
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    // The parser's message can quote the file; only the position is taken from it.
    const position = /position (\d+)/.exec(error instanceof Error ? error.message : '');
    throw notJson(position ? lineAt(text, Number(position[1])) : undefined);
  }
  const shape = FileShape.safeParse(data);
  if (!shape.success) throw segmentsExpected();
  const items = Array.isArray(shape.data) ? shape.data : shape.data.segments;
  if (items.length === 0) throw noSegments();
  const lines = elementLines(text);
  return items.map((item, index) => {
    const parsed = FileSegment.safeParse(item);
    if (!parsed.success) {
      const fields = [...new Set(parsed.error.issues.map((issue) => issue.path.join('.') || 'the segment'))].join(', ');
      throw segmentInvalid(index, fields, lines[index]);
    }
    const s = parsed.data;
    const startMs = s.startMs ?? Math.round(s.start! * 1000);
    const endMs = s.endMs ?? Math.round(s.end! * 1000);
    if (endMs < startMs) throw segmentEndsBeforeStart(index, lines[index]);
    const known = s.speaker === undefined ? undefined : Speaker.safeParse(s.speaker);
    const speaker = s.speaker === undefined ? 'unknown' : known?.success ? known.data : speakerFromLabel(s.speaker);
    return { startMs, endMs, speaker, text: s.text.trim(), ...(s.confidence === undefined ? {} : { confidence: s.confidence }) };
  });
}

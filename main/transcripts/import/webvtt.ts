import type { Speaker } from '../../../shared/domain/transcript.js';
import type { ImportedTurn } from './imported-turn.js';
import { speakerFromLabel } from './speaker-label.js';
import { parseTimestamp } from './timing.js';
import { cueEndsBeforeStart, cueTimeInvalid, cueTimingExpected, noCues, webVttHeaderMissing } from './transcript-format-error.js';

const TIMING = /^(\S+)\s+-->\s+(\S+)(?:\s+.*)?$/;
const VOICE = /<v(?:\.[^\s>]*)?\s+([^>]*)>/g;
const ENTITIES: Record<string, string> = {
  '&amp;': '&',
  '&lt;': '<',
  '&gt;': '>',
  '&nbsp;': ' ',
  '&lrm;': '',
  '&rlm;': '',
  '&quot;': '"',
  '&#39;': "'",
};

function plain(text: string): string {
  return text
    .replace(/<[^>]*>/g, '')
    .replace(/&(?:amp|lt|gt|nbsp|lrm|rlm|quot|#39);/g, (e) => ENTITIES[e] ?? e)
    .replace(/\s+/g, ' ')
    .trim();
}

/** Splits a cue's payload at its voice tags: "<v Doctor>Hi.</v> <v Patient>Hello." → two runs. */
function voiceRuns(payload: string): { speaker: Speaker; text: string }[] {
  const runs: { speaker: Speaker; text: string }[] = [];
  const tags = [...payload.matchAll(VOICE)];
  if (tags.length === 0) {
    const text = plain(payload);
    // Some tools write "Doctor: text" inside the cue instead of a voice tag.
    const colon = /^([A-Za-z][A-Za-z .'-]{0,30}):\s+(.*)$/.exec(text);
    const speaker = colon ? speakerFromLabel(colon[1]!) : 'unknown';
    return [{ speaker: speaker === 'other' ? 'unknown' : speaker, text: colon && speaker !== 'other' ? colon[2]! : text }];
  }
  const before = plain(payload.slice(0, tags[0]!.index));
  if (before) runs.push({ speaker: 'unknown', text: before });
  tags.forEach((tag, i) => {
    const end = tags[i + 1]?.index ?? payload.length;
    runs.push({ speaker: speakerFromLabel(tag[1] ?? ''), text: plain(payload.slice(tag.index + tag[0].length, end)) });
  });
  return runs.filter((r) => r.text !== '');
}

/**
 * WebVTT (W3C): header, then cues of an optional identifier, a timing line and payload lines.
 * NOTE, STYLE and REGION blocks are skipped. A cue with several voices becomes one segment per
 * voice, sharing the cue's time in proportion to their words.
 */
export function parseWebVtt(content: string): ImportedTurn[] {
  const lines = content.replace(/^\uFEFF/, '').split(/\r\n|\r|\n/);
  if (!/^WEBVTT(?:[ \t].*)?$/.test(lines[0] ?? '')) throw webVttHeaderMissing();
  const out: ImportedTurn[] = [];
  let i = 1;
  // The header block runs to the first blank line.
  while (i < lines.length && lines[i]!.trim() !== '') i += 1;
  while (i < lines.length) {
    while (i < lines.length && lines[i]!.trim() === '') i += 1;
    if (i >= lines.length) break;
    const blockStart = i;
    const block: string[] = [];
    while (i < lines.length && lines[i]!.trim() !== '') block.push(lines[i++]!);
    const first = block[0]!.trim();
    if (/^(?:NOTE|STYLE|REGION)(?:\s|$)/.test(first)) continue;
    const timingIndex = TIMING.test(first) ? 0 : block.length > 1 && TIMING.test(block[1]!.trim()) ? 1 : -1;
    if (timingIndex < 0) {
      // Line numbers are 1-based; the identifier, when there is one, is allowed before the timing line.
      const line = first.includes('-->') || block.length === 1 ? blockStart + 1 : blockStart + 2;
      throw cueTimingExpected(line);
    }
    const timingLine = blockStart + timingIndex + 1;
    const timing = TIMING.exec(block[timingIndex]!.trim())!;
    const startMs = parseTimestamp(timing[1]!);
    const endMs = parseTimestamp(timing[2]!);
    if (startMs === undefined || endMs === undefined) throw cueTimeInvalid(timingLine);
    if (endMs < startMs) throw cueEndsBeforeStart(timingLine);
    const runs = voiceRuns(block.slice(timingIndex + 1).join('\n'));
    const words = runs.map((r) => Math.max(1, r.text.split(/\s+/).length));
    const total = words.reduce((a, b) => a + b, 0);
    let at = startMs;
    runs.forEach((run, k) => {
      const end = k === runs.length - 1 ? endMs : Math.round(at + ((endMs - startMs) * words[k]!) / total);
      out.push({ startMs: at, endMs: end, speaker: run.speaker, text: run.text });
      at = end;
    });
  }
  if (out.length === 0) throw noCues();
  return out;
}

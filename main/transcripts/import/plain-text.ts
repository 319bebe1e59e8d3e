import type { Speaker } from '../../../shared/domain/transcript.js';
import type { ImportedTurn } from './imported-turn.js';
import { speakerFromLabel } from './speaker-label.js';
import { estimatedDurationMs, parseTimestamp } from './timing.js';
import { noSpeakerTurns, speakerTurnExpected, turnsOutOfOrder } from './transcript-format-error.js';

/** An optional leading time, "[00:01:02]" or "00:01:02.5", before the speaker. */
const TIME = String.raw`(?:\[?((?:\d{1,3}:)?[0-5]?\d:[0-5]\d(?:[.,]\d{1,3})?)\]?\s+)?`;
/** ACI-Bench style: "[doctor] text". */
const BRACKETED = new RegExp(String.raw`^${TIME}\[([A-Za-z][A-Za-z0-9 _.'-]{0,39})\]\s*(.*)$`);
/** "Doctor: text", "Dr. Okafor: text", "Speaker 1: text" — a label of at most four words. */
const COLON = new RegExp(String.raw`^${TIME}([A-Za-z][A-Za-z0-9_.'()-]*(?: [A-Za-z0-9_.'()-]+){0,3})\s*:(?:\s+(.*)|$)`);

interface Turn {
  speaker: Speaker;
  startMs: number | undefined;
  text: string[];
  line: number;
}

function labelled(line: string): { time: string | undefined; label: string; text: string } | undefined {
  const match = BRACKETED.exec(line) ?? COLON.exec(line);
  if (!match) return undefined;
  return { time: match[1], label: match[2] ?? '', text: match[3] ?? '' };
}

/**
 * Plain "Speaker: text" turns or ACI-Bench "[doctor] text" turns. A line without a label continues
 * the turn above it; blank lines are ignored. Times come from leading timestamps when every turn has
 * one, else from a typical speaking rate.
 */
export function parsePlainText(content: string): ImportedTurn[] {
  const turns: Turn[] = [];
  const lines = content.replace(/^\uFEFF/, '').split(/\r\n|\r|\n/);
  lines.forEach((raw, index) => {
    const line = raw.trim();
    if (line === '') return;
    const turn = labelled(line);
    if (turn) {
      const startMs = turn.time === undefined ? undefined : parseTimestamp(turn.time);
      turns.push({ speaker: speakerFromLabel(turn.label), startMs, text: turn.text ? [turn.text] : [], line: index + 1 });
      return;
    }
    const current = turns.at(-1);
    if (!current) {
      throw speakerTurnExpected(index + 1);
    }
    current.text.push(line);
  });
  const spoken = turns.filter((t) => t.text.join(' ').trim() !== '');
  if (spoken.length === 0) throw noSpeakerTurns();

  const timed = spoken.every((t) => t.startMs !== undefined);
  const out: ImportedTurn[] = [];
  let clock = 0;
  spoken.forEach((turn, i) => {
    const text = turn.text.join(' ').replace(/\s+/g, ' ').trim();
    let startMs = clock;
    let endMs = clock + estimatedDurationMs(text);
    if (timed) {
      startMs = turn.startMs!;
      if (i > 0 && startMs < out[i - 1]!.startMs) throw turnsOutOfOrder(turn.line);
      const next = spoken[i + 1]?.startMs;
      endMs = next !== undefined && next > startMs ? next : startMs + estimatedDurationMs(text);
    }
    clock = endMs;
    out.push({ startMs, endMs, speaker: turn.speaker, text });
  });
  return out;
}

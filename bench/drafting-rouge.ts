import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { renderNoteText } from '../shared/domain/note-text.js';
import type { TranscriptSegment } from '../shared/domain/transcript.js';
import type { VisitId } from '../shared/ids.js';
import { assembleNote } from '../main/drafting/assemble-note.js';
import { rouge } from '../main/drafting/evaluation/rouge.js';
import type { RougeTriple } from '../main/drafting/evaluation/rouge.js';
import { draftOffline } from '../main/drafting/offline/offline-drafter.js';
import { TEMPLATES } from '../main/drafting/templates.js';
import { parsePlainText } from '../main/transcripts/import/plain-text.js';

/**
 * The offline drafter on ACI-Bench (Yim et al. 2023, CC BY 4.0; ../shared/corpora/aci-bench):
 * ROUGE-1/2/L F1 of the drafted notes (rendered as a clinician reads them) against the reference
 * notes, averaged over every encounter of a split, beside the trivial baseline of the transcript
 * itself as the note. Rules were developed on the train split; the validation split is the report.
 * Also: the time to draft a 30-minute visit, beside the time to render that transcript as text.
 */
interface Encounter {
  readonly file: string;
  readonly dialogue: string;
  readonly note: string;
}

const VISIT = '00000000-0000-4000-8000-000000000000' as VisitId;

function repoRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'package.json')) && dirname(dir) !== dir) dir = dirname(dir);
  return dir;
}

export function aciBenchDir(): string {
  return resolve(repoRoot(), '..', 'shared', 'corpora', 'aci-bench');
}

export function loadAciBench(split: 'train' | 'valid', dir = aciBenchDir()): Encounter[] | undefined {
  const file = join(dir, 'data', 'challenge_data_json', `${split}.json`);
  if (!existsSync(file)) return undefined;
  const parsed = JSON.parse(readFileSync(file, 'utf8')) as { data: { src: string; tgt: string; file: string }[] };
  return parsed.data.map((d) => ({ file: d.file, dialogue: d.src, note: d.tgt }));
}

export function transcriptOf(dialogue: string): TranscriptSegment[] {
  return parsePlainText(dialogue).map((turn, i) => ({ ...turn, id: `seg-${i + 1}` }));
}

export function draftText(segments: readonly TranscriptSegment[]): string {
  const drafted = draftOffline(segments);
  const { draft } = assembleNote(VISIT, TEMPLATES.soap, drafted, segments);
  return renderNoteText(draft);
}

const transcriptText = (segments: readonly TranscriptSegment[]) => segments.map((s) => s.text).join('\n');

interface Averages {
  rouge1: number;
  rouge2: number;
  rougeL: number;
}

function average(scores: readonly RougeTriple[]): Averages {
  const mean = (pick: (s: RougeTriple) => number) => Number(((100 * scores.reduce((a, s) => a + pick(s), 0)) / scores.length).toFixed(2));
  return { rouge1: mean((s) => s.rouge1.f1), rouge2: mean((s) => s.rouge2.f1), rougeL: mean((s) => s.rougeL.f1) };
}

export function scoreSplit(encounters: readonly Encounter[]): {
  encounters: number;
  offlineDrafter: Averages;
  transcriptBaseline: Averages;
  meanWords: { draft: number; reference: number; transcript: number };
} {
  const drafted: RougeTriple[] = [];
  const baseline: RougeTriple[] = [];
  let draftWords = 0;
  let refWords = 0;
  let transcriptWords = 0;
  const words = (t: string) => t.split(/\s+/).filter(Boolean).length;
  for (const e of encounters) {
    const segments = transcriptOf(e.dialogue);
    const draft = draftText(segments);
    drafted.push(rouge(draft, e.note));
    baseline.push(rouge(transcriptText(segments), e.note));
    draftWords += words(draft);
    refWords += words(e.note);
    transcriptWords += words(transcriptText(segments));
  }
  const n = encounters.length;
  return {
    encounters: n,
    offlineDrafter: average(drafted),
    transcriptBaseline: average(baseline),
    meanWords: { draft: Math.round(draftWords / n), reference: Math.round(refWords / n), transcript: Math.round(transcriptWords / n) },
  };
}

/** Dialogues end to end, renumbered and re-timed, until the visit lasts 30 minutes. */
function thirtyMinuteVisit(encounters: readonly Encounter[]): TranscriptSegment[] {
  const out: TranscriptSegment[] = [];
  let offset = 0;
  for (let round = 0; offset < 30 * 60_000; round += 1) {
    const e = encounters[round % encounters.length]!;
    for (const s of transcriptOf(e.dialogue)) {
      if (offset + s.startMs >= 30 * 60_000) break;
      out.push({ ...s, id: `seg-${out.length + 1}`, startMs: offset + s.startMs, endMs: offset + s.endMs });
    }
    offset = out.at(-1)!.endMs;
  }
  return out;
}

function medianMs(runs: number, fn: () => void): number {
  const times: number[] = [];
  for (let i = 0; i < runs; i += 1) {
    const start = performance.now();
    fn();
    times.push(performance.now() - start);
  }
  times.sort((a, b) => a - b);
  return Number(times[Math.floor(times.length / 2)]!.toFixed(2));
}

export function benchDraftingRouge(): Record<string, unknown> {
  const dir = aciBenchDir();
  const valid = loadAciBench('valid', dir);
  const train = loadAciBench('train', dir);
  if (!valid) return { skipped: `ACI-Bench not found at ${dir} (expected data/challenge_data_json/valid.json); nothing measured.` };
  const visit = thirtyMinuteVisit(valid);
  draftText(visit);
  return {
    corpus: 'ACI-Bench challenge data (Yim et al. 2023, CC BY 4.0)',
    metric: 'ROUGE F1 x100, mean over encounters; lower-cased alphanumeric tokens, no stemming; ROUGE-L = LCS over the whole note',
    note: 'rules developed on train; valid is the held-out report',
    valid: scoreSplit(valid),
    ...(train ? { train: scoreSplit(train) } : {}),
    thirtyMinuteVisit: {
      segments: visit.length,
      words: visit.reduce((a, s) => a + s.text.split(/\s+/).length, 0),
      audioMinutes: Number((visit.at(-1)!.endMs / 60_000).toFixed(1)),
      offlineDraftMs: medianMs(7, () => draftText(visit)),
      baselineRenderTranscriptMs: medianMs(7, () => transcriptText(visit)),
    },
  };
}

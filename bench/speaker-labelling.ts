import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { packageRoot } from '../main/kernel/app-identity.js';
import type { SpeakerInput, SpeakerModel } from '../main/asr/speaker-labeller.js';
import { DEFAULT_SPEAKER_MODEL, labelSpeakers } from '../main/asr/speaker-labeller.js';

/**
 * How well the speaker labeller does, on public dialogue corpora whose speakers are known (used by
 * path from ../shared/corpora, never copied): ACI-Bench (text only: each turn cut into sentences, as
 * Whisper cuts speech, with the turn boundaries hidden), PriMock57 (utterances with their times
 * from separate doctor and patient channels, each cut into sentences with times shared out by
 * length) and MTS-Dialog (text only, like ACI-Bench; the corpus with third voices: family members
 * and other clinicians). Scored per segment and per word, and for `other` (ACI-Bench's
 * patient_guest, MTS-Dialog's Guest_family / Guest_clinician / Doctor_2) by precision and recall.
 */

export type Truth = 'clinician' | 'patient' | 'other';

export interface LabelledSegment extends SpeakerInput {
  readonly truth: Truth;
}

export interface LabelledVisit {
  readonly id: string;
  readonly segments: LabelledSegment[];
  /** Whether the times mean anything (PriMock57) or are placeholders (ACI-Bench). */
  readonly timed: boolean;
}

export const CORPORA = process.env['SCRIBE_CORPORA_DIR'] ?? join(packageRoot, '..', 'shared', 'corpora');

/** Splits after . ? ! (ACI-Bench writes " ." with a space before). */
export function sentences(text: string): string[] {
  return text
    .replace(/\s+([.?!,])/g, '$1')
    .split(/(?<=[.?!])\s+/)
    .map((s) => s.trim())
    .filter((s) => /[a-z0-9]/i.test(s));
}

/** Minimal CSV reader for the corpus files (quoted fields with embedded newlines and doubled quotes). */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i += 1) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i += 1;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      row.push(field);
      field = '';
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i += 1;
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
    } else field += c;
  }
  if (field !== '' || row.length > 0) rows.push([...row, field]);
  return rows;
}

const truthOf = (tag: string): Truth => (tag === 'doctor' ? 'clinician' : tag === 'patient' ? 'patient' : 'other');

export function aciBenchVisits(split: 'train' | 'valid', dir = CORPORA): LabelledVisit[] {
  const file = join(dir, 'aci-bench', 'data', 'challenge_data', `${split}.csv`);
  if (!existsSync(file)) return [];
  const [header, ...rows] = parseCsv(readFileSync(file, 'utf8'));
  const col = header!.indexOf('dialogue');
  const idCol = header!.indexOf('encounter_id');
  return rows
    .filter((r) => r.length > col)
    .map((r) => {
      const segments: LabelledSegment[] = [];
      for (const line of r[col]!.split('\n')) {
        const m = /^\[([a-z_]+)\]\s*(.*)$/.exec(line.trim());
        if (!m) continue;
        for (const text of sentences(m[2]!)) segments.push({ startMs: 0, endMs: 0, text, truth: truthOf(m[1]!) });
      }
      return { id: r[idCol] ?? '', segments, timed: false };
    });
}

/**
 * MTS-Dialog: short conversations (one note section each), "Doctor: …" / "Patient: …" /
 * "Guest_family: …" turns. Only dialogues at least `minSegments` sentences long are kept: the
 * labeller needs some conversation to go on.
 */
export function mtsDialogVisits(split: 'train' | 'valid', dir = CORPORA, minSegments = 4): LabelledVisit[] {
  const file = join(dir, 'mts-dialog', 'Main-Dataset', split === 'train' ? 'MTS-Dialog-TrainingSet.csv' : 'MTS-Dialog-ValidationSet.csv');
  if (!existsSync(file)) return [];
  const [header, ...rows] = parseCsv(readFileSync(file, 'utf8'));
  const col = header!.indexOf('dialogue');
  const idCol = header!.indexOf('ID');
  const visits: LabelledVisit[] = [];
  for (const r of rows) {
    if (r.length <= col) continue;
    const turns: { truth: Truth; text: string }[] = [];
    for (const line of r[col]!.split(/\r?\n/)) {
      const m = /^\s*(doctor|docotr|patient|guest_\w+|gest_\w+|doctor_\d)\s*:\s*(.*)$/i.exec(line);
      if (m)
        turns.push({
          truth: /^doc\w*$/i.test(m[1]!) && !/_/.test(m[1]!) ? 'clinician' : /^patient$/i.test(m[1]!) ? 'patient' : 'other',
          text: m[2]!,
        });
      else if (turns.length > 0) turns[turns.length - 1]!.text += ` ${line}`;
    }
    const segments: LabelledSegment[] = turns.flatMap((t) =>
      sentences(t.text).map((text) => ({ startMs: 0, endMs: 0, text, truth: t.truth })),
    );
    if (segments.length >= minSegments) visits.push({ id: `mts-${split}-${r[idCol] ?? ''}`, segments, timed: false });
  }
  return visits;
}

interface Interval {
  readonly start: number;
  readonly end: number;
  readonly text: string;
}

function textGridIntervals(file: string): Interval[] {
  const out: Interval[] = [];
  const re = /xmin = ([\d.]+)\s*\n\s*xmax = ([\d.]+)\s*\n\s*text = "((?:[^"]|"")*)"/g;
  const body = readFileSync(file, 'utf8');
  for (let m = re.exec(body); m; m = re.exec(body)) {
    const text = m[3]!
      .replace(/""/g, '"')
      .replace(/<\/?[A-Z]+\/?>/g, ' ')
      .replace(/\s+/g, ' ')
      .trim();
    if (/[a-z]/i.test(text)) out.push({ start: Number(m[1]) * 1000, end: Number(m[2]) * 1000, text });
  }
  return out;
}

export function primock57Visits(dir = CORPORA): LabelledVisit[] {
  const folder = join(dir, 'primock57', 'transcripts');
  if (!existsSync(folder)) return [];
  const doctors = readdirSync(folder)
    .filter((f) => f.endsWith('_doctor.TextGrid'))
    .sort();
  return doctors.map((doctorFile) => {
    const utterances = [
      ...textGridIntervals(join(folder, doctorFile)).map((u) => ({ ...u, truth: 'clinician' as const })),
      ...textGridIntervals(join(folder, doctorFile.replace('_doctor', '_patient'))).map((u) => ({ ...u, truth: 'patient' as const })),
    ].sort((a, b) => a.start - b.start);
    const segments: LabelledSegment[] = [];
    // What the voice-activity detector would close as one speech segment: speech without a pause of
    // 400 ms, whoever spoke (quick exchanges land in one segment, as they do live).
    let group = 0;
    let lastEnd = Number.NEGATIVE_INFINITY;
    for (const u of utterances) {
      if (u.start - lastEnd >= 400) group += 1;
      lastEnd = Math.max(lastEnd, u.end);
      const parts = sentences(u.text);
      const total = parts.reduce((n, p) => n + p.length, 0);
      let at = u.start;
      for (const text of parts) {
        const end = at + ((u.end - u.start) * text.length) / total;
        segments.push({ startMs: Math.round(at), endMs: Math.round(end), text, truth: u.truth, group: `g${group}` });
        at = end;
      }
    }
    return { id: doctorFile.replace('_doctor.TextGrid', ''), segments, timed: true };
  });
}

export interface SpeakerScore {
  readonly visits: number;
  readonly segments: number;
  /** Share of segments labelled as the corpus labels them. */
  readonly segmentAccuracy: number;
  /** The same, weighted by words. */
  readonly wordAccuracy: number;
  /** Baseline: every segment labelled by the majority speaker of its visit (the best a constant can do). */
  readonly majorityBaseline: number;
  /** Third voices: how many segments the corpus gives to `other`, how many the labeller does, and how many agree. */
  readonly other: {
    readonly truth: number;
    readonly labelled: number;
    readonly right: number;
    readonly precision: number | null;
    readonly recall: number | null;
  };
}

export function scoreSpeakers(visits: readonly LabelledVisit[], model: SpeakerModel = DEFAULT_SPEAKER_MODEL): SpeakerScore {
  let segments = 0;
  let right = 0;
  let words = 0;
  let rightWords = 0;
  let majority = 0;
  const other = { truth: 0, labelled: 0, right: 0 };
  for (const visit of visits) {
    const labels = labelSpeakers(visit.segments, model, { gaps: visit.timed });
    const count = (truth: Truth) => visit.segments.filter((s) => s.truth === truth).length;
    majority += Math.max(count('clinician'), count('patient'), count('other'));
    visit.segments.forEach((s, i) => {
      const n = s.text.split(/\s+/).length;
      segments += 1;
      words += n;
      if (s.truth === 'other') other.truth += 1;
      if (labels[i] === 'other') other.labelled += 1;
      if (labels[i] === s.truth) {
        right += 1;
        rightWords += n;
        if (s.truth === 'other') other.right += 1;
      }
    });
  }
  const round = (x: number) => Math.round(x * 1000) / 1000;
  return {
    visits: visits.length,
    segments,
    segmentAccuracy: round(right / Math.max(1, segments)),
    wordAccuracy: round(rightWords / Math.max(1, words)),
    majorityBaseline: round(majority / Math.max(1, segments)),
    other: {
      ...other,
      precision: other.labelled ? round(other.right / other.labelled) : null,
      recall: other.truth ? round(other.right / other.truth) : null,
    },
  };
}

export function benchSpeakerLabelling(dir = CORPORA): Record<string, SpeakerScore | string> {
  const started = performance.now();
  const train = aciBenchVisits('train', dir);
  const valid = aciBenchVisits('valid', dir);
  const primock = primock57Visits(dir);
  const mtsTrain = mtsDialogVisits('train', dir);
  const mtsValid = mtsDialogVisits('valid', dir);
  const withThirdVoice = (visits: LabelledVisit[]) => visits.filter((v) => v.segments.some((s) => s.truth === 'other'));
  // The labeller's settings were tuned on the train splits and PriMock57 1-20: the rest is held out.
  return {
    aciBenchTrainTuning: train.length ? scoreSpeakers(train) : 'not measured: ACI-Bench not found',
    aciBenchValidHeldOut: valid.length ? scoreSpeakers(valid) : 'not measured: ACI-Bench not found',
    primock57TuningConsultations1to20: primock.length ? scoreSpeakers(primock.slice(0, 20)) : 'not measured: PriMock57 not found',
    primock57HeldOutConsultations21to40: primock.length ? scoreSpeakers(primock.slice(20)) : 'not measured: PriMock57 not found',
    mtsDialogTrainTuning: mtsTrain.length ? scoreSpeakers(mtsTrain) : 'not measured: MTS-Dialog not found',
    mtsDialogValidHeldOut: mtsValid.length ? scoreSpeakers(mtsValid) : 'not measured: MTS-Dialog not found',
    mtsDialogValidHeldOutWithThirdVoice: mtsValid.length ? scoreSpeakers(withThirdVoice(mtsValid)) : 'not measured: MTS-Dialog not found',
    aciBenchValidWithThirdVoice: valid.length ? scoreSpeakers(withThirdVoice(valid)) : 'not measured: ACI-Bench not found',
    ms: String(Math.round(performance.now() - started)),
  };
}

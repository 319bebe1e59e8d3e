import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { renderNoteText } from '../shared/domain/note-text.js';
import type { TranscriptSegment } from '../shared/domain/transcript.js';
import type { VisitId } from '../shared/ids.js';
import { assembleNote } from '../main/drafting/assemble-note.js';
import { draftOffline } from '../main/drafting/offline/offline-drafter.js';
import { TEMPLATES } from '../main/drafting/templates.js';
import { parsePlainText } from '../main/transcripts/import/plain-text.js';
import type { Engine } from './drafting-engines.js';
import { billableCodes, languageModelEngine, offlineEngine, releaseTerminology, repoRoot, transcriptEngine } from './drafting-engines.js';
import type { Gold, Visit } from './drafting-quality.js';
import { measureEngine, readGold, referenceSpeechLike } from './drafting-quality.js';
import { CORPORA, parseCsv } from './speaker-labelling.js';

/**
 * The drafters on ACI-Bench (Yim et al. 2023, CC BY 4.0; ../shared/corpora/aci-bench) and on the
 * coded MTS-Dialog validation rows: the offline drafter, the transcript itself as the note (the
 * baseline), and the language-model drafter when the environment configures one (else "not
 * measured"), each scored by drafting-quality.ts. Rules were developed on the train split; the
 * validation split is the report. Also: the time to draft a 30-minute visit, beside the time to
 * render that transcript as text.
 */
interface Encounter {
  readonly file: string;
  readonly dialogue: string;
  readonly note: string;
}

const VISIT = '00000000-0000-4000-8000-000000000000' as VisitId;

export function aciBenchDir(): string {
  return resolve(repoRoot(), '..', 'shared', 'corpora', 'aci-bench');
}

export function loadAciBench(split: 'train' | 'valid', dir = aciBenchDir()): Encounter[] | undefined {
  const file = join(dir, 'data', 'challenge_data_json', `${split}.json`);
  if (!existsSync(file)) return undefined;
  const parsed = JSON.parse(readFileSync(file, 'utf8')) as { data: { src: string; tgt: string; file: string }[] };
  return parsed.data.map((d) => ({ file: d.file, dialogue: d.src, note: d.tgt }));
}

/** Each encounter's patient sex from the split's metadata file (encounter_id → patient_gender). */
export function patientSexes(split: 'train' | 'valid', dir = aciBenchDir()): ReadonlyMap<string, 'female' | 'male'> {
  const file = join(dir, 'data', 'challenge_data', `${split}_metadata.csv`);
  if (!existsSync(file)) return new Map();
  const [header, ...rows] = parseCsv(readFileSync(file, 'utf8'));
  const id = header!.indexOf('encounter_id');
  const sex = header!.indexOf('patient_gender');
  const out = new Map<string, 'female' | 'male'>();
  for (const row of rows) {
    const value = row[sex]?.trim();
    if (row[id] && (value === 'female' || value === 'male')) out.set(row[id], value);
  }
  return out;
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

/** MTS-Dialog validation rows whose reference section names diagnoses (the rows test/fixtures/gold-codes/mts-dialog-valid.json codes). */
function mtsDialogCoded(ids: readonly string[]): Visit[] {
  const file = join(CORPORA, 'mts-dialog', 'Main-Dataset', 'MTS-Dialog-ValidationSet.csv');
  if (!existsSync(file)) return [];
  const [header, ...rows] = parseCsv(readFileSync(file, 'utf8'));
  const col = (name: string) => header!.indexOf(name);
  return rows
    .filter((r) => ids.includes(r[col('ID')] ?? ''))
    .map((r) => ({ id: r[col('ID')]!, segments: transcriptOf(r[col('dialogue')]!), reference: r[col('section_text')]! }));
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

export async function benchDraftingRouge(): Promise<Record<string, unknown>> {
  const dir = aciBenchDir();
  const valid = loadAciBench('valid', dir);
  const train = loadAciBench('train', dir);
  if (!valid) return { skipped: `ACI-Bench not found at ${dir} (expected data/challenge_data_json/valid.json); nothing measured.` };
  const icdDir = process.env['SCRIBE_ICD10CM_DIR'] ?? resolve(repoRoot(), '..', 'shared', 'terminology', 'icd10cm');
  const terminology = releaseTerminology(icdDir);
  const billable = billableCodes(icdDir);
  const model = languageModelEngine(terminology, process.env);
  const engines: Engine[] = [offlineEngine(terminology), transcriptEngine(terminology), ...('notMeasured' in model ? [] : [model])];
  // The app drafts with the patient's sex from the patient record (drafting-service.ts); the corpus metadata holds it.
  const sexes = new Map([...patientSexes('train', dir), ...patientSexes('valid', dir)]);
  const asVisits = (encounters: readonly Encounter[]): Visit[] =>
    encounters.map((e) => ({
      id: e.file,
      segments: transcriptOf(e.dialogue),
      reference: e.note,
      patient: { sex: sexes.get(e.file.split('-')[0]!) },
    }));
  const measure = async (visits: readonly Visit[], gold: Gold, withModel: boolean) => {
    const out: Record<string, unknown> = { referenceNotes: { speechLike: referenceSpeechLike(visits) } };
    for (const engine of engines) {
      if (engine === model && !withModel) continue;
      try {
        out[engine.name] = await measureEngine(engine, visits, gold, billable);
      } catch (error) {
        // A model that fails part-way gives no figures at all, never figures over the visits it managed.
        out[engine.name] = `not measured: ${error instanceof Error ? error.message : String(error)}`;
      }
    }
    if ('notMeasured' in model) out['languageModel'] = model.notMeasured;
    else if (!withModel) out['languageModel'] = 'not measured: the model drafts the validation splits only';
    return out;
  };
  const mtsGold = readGold('mts-dialog-valid');
  const mts = mtsDialogCoded(Object.keys(mtsGold.codes ?? {}));
  const visit = thirtyMinuteVisit(valid);
  draftText(visit);
  return {
    corpus: 'ACI-Bench challenge data (Yim et al. 2023, CC BY 4.0); MTS-Dialog validation (Ben Abacha et al. 2023, CC BY 4.0)',
    metric:
      'ROUGE F1 x100, mean over encounters; lower-cased alphanumeric tokens, no stemming; ROUGE-L = LCS over the whole note, ROUGE-Lsum = per-line union LCS (rouge_score rougeLsum, as the ACI-Bench paper)',
    codeSet: terminology ? 'ICD-10-CM FY2026 release, loaded as the app imports it' : `not measured: no ICD-10-CM release at ${icdDir}`,
    note: 'rules developed on train; valid is the held-out report. Gold: test/fixtures/gold-codes and gold-sections (see their README)',
    valid: await measure(asVisits(valid), readGold('aci-bench-valid'), true),
    ...(train ? { train: await measure(asVisits(train), readGold('aci-bench-train'), false) } : {}),
    ...(mts.length > 0
      ? {
          mtsDialogValidCoded: {
            note: "reference = the row's one section, so ROUGE here is against that section only",
            ...(await measure(mts, mtsGold, true)),
          },
        }
      : {}),
    thirtyMinuteVisit: {
      segments: visit.length,
      words: visit.reduce((a, s) => a + s.text.split(/\s+/).length, 0),
      audioMinutes: Number((visit.at(-1)!.endMs / 60_000).toFixed(1)),
      offlineDraftMs: medianMs(7, () => draftText(visit)),
      offlineDraftWithCodesMs: medianMs(7, () => void offlineEngine(terminology).draft(visit)),
      baselineRenderTranscriptMs: medianMs(7, () => transcriptText(visit)),
    },
  };
}

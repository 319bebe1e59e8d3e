import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { FactKind, SectionId } from '../shared/domain/note.js';
import type { TranscriptSegment } from '../shared/domain/transcript.js';
import type { CodeTally, GoldProblem } from '../main/drafting/evaluation/code-scores.js';
import { codeFigures, emptyTally, tallyCodes } from '../main/drafting/evaluation/code-scores.js';
import { emptyHeadingTally, tallyHeadings } from '../main/drafting/evaluation/problem-headings.js';
import { rouge, rougeLsum } from '../main/drafting/evaluation/rouge.js';
import { countSpeechLike } from '../main/drafting/evaluation/speech-like.js';
import { checkFacts } from '../main/evidence/fact-check.js';
import { extractFacts } from '../main/evidence/fact-check/extract-facts.js';
import type { DraftOutcome, Engine, PatientContext } from './drafting-engines.js';
import { repoRoot } from './drafting-engines.js';

/**
 * Issue 16, item 5: what each drafter's notes are worth on one corpus split, measured the same way for
 * every drafter in the same run. ROUGE-1/2/L/Lsum F1 against the reference notes; the share of
 * speech-like sentences (main/drafting/evaluation/speech-like.ts); code recall@5 and precision@5 on
 * the hand-coded gold (test/fixtures/gold-codes) and codes that are not billable FY2026 codes;
 * section placement on hand-labelled transcript lines (test/fixtures/gold-sections); sentences
 * stating doses, frequencies or numbers whose values the cited lines do not hold (the fact checker);
 * drafting time per visit.
 */
export interface Visit {
  readonly id: string;
  readonly segments: readonly TranscriptSegment[];
  /** The reference note, when the split has one to compare with. */
  readonly reference?: string;
  /** The patient's sex as the corpus records it, as the app has it from the patient record. */
  readonly patient?: PatientContext;
}

export interface PlacementLabel {
  /** Words of one transcript turn of the encounter (a substring of it). */
  readonly quote: string;
  /** The section the reference note documents this in. */
  readonly section: SectionId;
}

export interface Gold {
  readonly codes?: Readonly<Record<string, readonly GoldProblem[]>>;
  readonly placement?: Readonly<Record<string, readonly PlacementLabel[]>>;
}

/** The gold fixtures in the repository. */
export function readGold(corpusSplit: string): Gold {
  const fixtures = join(repoRoot(), 'test', 'fixtures');
  const read = <T>(path: string): T | undefined => (existsSync(path) ? (JSON.parse(readFileSync(path, 'utf8')) as T) : undefined);
  return {
    codes: read<{ encounters: Record<string, GoldProblem[]> }>(join(fixtures, 'gold-codes', `${corpusSplit}.json`))?.encounters,
    placement: read<{ encounters: Record<string, PlacementLabel[]> }>(join(fixtures, 'gold-sections', `${corpusSplit}.json`))?.encounters,
  };
}

const VALUE_KINDS: ReadonlySet<FactKind> = new Set(['dose', 'unit', 'frequency', 'route', 'number']);
const mean = (xs: readonly number[]) => (xs.length === 0 ? 0 : xs.reduce((a, x) => a + x, 0) / xs.length);
const pct = (n: number, d: number) => (d === 0 ? null : Number(((100 * n) / d).toFixed(1)));
const fixed = (n: number, digits = 2) => Number(n.toFixed(digits));

/** The sections holding drafted sentences that cite any of these segments. */
function placedSections(outcome: DraftOutcome, segmentIds: ReadonlySet<string>): SectionId[] {
  return (outcome.sections ?? [])
    .filter((section) => section.sentences.some((s) => s.evidence.some((e) => segmentIds.has(e))))
    .map((s) => s.id);
}

function valueSentences(outcome: DraftOutcome, byId: ReadonlyMap<string, string>): { checked: number; altered: number } {
  let checked = 0;
  let altered = 0;
  for (const section of outcome.sections ?? []) {
    for (const s of section.sentences) {
      const facts = extractFacts(s.text);
      if (facts.numbers.length === 0 && !facts.regimen.some((r) => r.kind === 'dose' || r.kind === 'frequency')) continue;
      checked += 1;
      const evidence = s.evidence.map((id) => byId.get(id) ?? '');
      if (checkFacts(s.text, evidence).some((m) => VALUE_KINDS.has(m.kind))) altered += 1;
    }
  }
  return { checked, altered };
}

export async function measureEngine(
  engine: Engine,
  visits: readonly Visit[],
  gold: Gold,
  billable: ReadonlySet<string> | undefined,
): Promise<Record<string, unknown>> {
  const scores = { rouge1: [] as number[], rouge2: [] as number[], rougeL: [] as number[], rougeLsum: [] as number[] };
  let sentences = 0;
  let speechLike = 0;
  const signs = { person: 0, filler: 0, meta: 0, question: 0 };
  const tally: CodeTally = emptyTally();
  const headings = emptyHeadingTally();
  let withProblems = 0;
  let problemCount = 0;
  let invalid = 0;
  let codesSuggested = 0;
  const invalidExamples = new Set<string>();
  let labels = 0;
  let placedRight = 0;
  let notPlaced = 0;
  const confusions = new Map<string, number>();
  let valueChecked = 0;
  let valueAltered = 0;
  const ms: number[] = [];
  for (const visit of visits) {
    const outcome = await engine.draft(visit.segments, visit.patient);
    ms.push(outcome.ms);
    if (visit.reference !== undefined) {
      const r = rouge(outcome.text, visit.reference);
      scores.rouge1.push(r.rouge1.f1);
      scores.rouge2.push(r.rouge2.f1);
      scores.rougeL.push(r.rougeL.f1);
      scores.rougeLsum.push(rougeLsum(outcome.text, visit.reference).f1);
    }
    const speech = countSpeechLike(outcome.text);
    sentences += speech.sentences;
    speechLike += speech.speechLike;
    for (const [k, n] of Object.entries(speech.bySign)) signs[k as keyof typeof signs] += n;
    codesSuggested += outcome.codes.length;
    for (const code of outcome.codes) {
      if (billable && !billable.has(code.replace('.', ''))) {
        invalid += 1;
        invalidExamples.add(code);
      }
    }
    const goldCodes = gold.codes?.[visit.id];
    if (goldCodes) tallyCodes(tally, goldCodes, outcome.codes);
    if (goldCodes && outcome.problems) {
      withProblems += 1;
      problemCount += outcome.problems.length;
      tallyHeadings(
        headings,
        goldCodes.filter((p) => p.kind === 'assessment').map((p) => p.problem),
        outcome.problems,
      );
    }
    if (outcome.sections) {
      for (const label of gold.placement?.[visit.id] ?? []) {
        const ids = new Set(visit.segments.filter((s) => s.text.includes(label.quote)).map((s) => s.id));
        labels += 1;
        // Right only when every sentence drawn from the line sits in the expected section.
        // A problem-oriented note writes each problem's assessment and plan together: there they are one section.
        const placed = placedSections(outcome, ids).map((p) => (outcome.problems && p === 'plan' ? 'assessment' : p));
        const expected = outcome.problems && label.section === 'plan' ? 'assessment' : label.section;
        if (placed.length === 0) notPlaced += 1;
        else if (placed.every((p) => p === expected)) placedRight += 1;
        for (const p of placed.filter((p) => p !== expected))
          confusions.set(`${label.section}→${p}`, (confusions.get(`${label.section}→${p}`) ?? 0) + 1);
      }
      const values = valueSentences(outcome, new Map(visit.segments.map((s) => [s.id, s.text])));
      valueChecked += values.checked;
      valueAltered += values.altered;
    }
  }
  const withReference = scores.rouge1.length;
  return {
    visits: visits.length,
    ...(withReference > 0
      ? {
          rouge: {
            rouge1: fixed(100 * mean(scores.rouge1)),
            rouge2: fixed(100 * mean(scores.rouge2)),
            rougeL: fixed(100 * mean(scores.rougeL)),
            rougeLsum: fixed(100 * mean(scores.rougeLsum)),
          },
        }
      : {}),
    speechLike: { sentences, speechLikePct: pct(speechLike, sentences), bySign: signs },
    codes: gold.codes
      ? {
          ...codeFigures(tally),
          invalidOrNonBillable: billable ? invalid : 'not measured: the FY2026 codes file is missing',
          ...(invalidExamples.size > 0 ? { invalidExamples: [...invalidExamples].slice(0, 5) } : {}),
          codesSuggestedPerVisit: fixed(codesSuggested / Math.max(1, visits.length), 1),
        }
      : 'not measured: no gold codes for this split',
    problemHeadings: !gold.codes
      ? 'not measured: no gold problems for this split'
      : withProblems === 0
        ? 'not measured: the drafter gives no problem headings'
        : {
            referenceProblems: headings.problems,
            headedPct: pct(headings.headed, headings.problems),
            encountersAllHeadedPct: pct(headings.allHeaded, headings.encounters),
            headingsPerVisit: fixed(problemCount / Math.max(1, withProblems), 1),
          },
    sectionPlacement:
      labels === 0
        ? placementNotMeasured(engine)
        : {
            labelled: labels,
            accuracyPct: pct(placedRight, labels),
            notPlaced,
            misplaced: Object.fromEntries([...confusions].sort((a, b) => b[1] - a[1])),
          },
    valueFacts: valueChecked === 0 ? 'not measured: no drafted sections' : { sentences: valueChecked, notInCitedLines: valueAltered },
    draftMs: { mean: fixed(mean(ms)), max: fixed(Math.max(...ms)) },
  };
}

/** The reference notes' own share of speech-like sentences, the figure a drafter is compared with. */
export function referenceSpeechLike(visits: readonly Visit[]): { sentences: number; speechLikePct: number | null } {
  let sentences = 0;
  let speechLike = 0;
  for (const v of visits) {
    if (v.reference === undefined) continue;
    const count = countSpeechLike(v.reference);
    sentences += count.sentences;
    speechLike += count.speechLike;
  }
  return { sentences, speechLikePct: pct(speechLike, sentences) };
}

function placementNotMeasured(engine: Engine): string {
  return engine.name === 'transcriptBaseline'
    ? 'not applicable: the transcript has no sections'
    : 'not measured: no labelled lines for this split';
}

import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { FactKind } from '../shared/domain/note.js';
import type { TranscriptSegment } from '../shared/domain/transcript.js';
import { draftOffline } from '../main/drafting/offline/offline-drafter.js';
import { checkFacts } from '../main/evidence/fact-check.js';
import { extractFacts } from '../main/evidence/fact-check/extract-facts.js';
import { aciBenchDir, loadAciBench, transcriptOf } from './drafting-rouge.js';
import { CORPORA, parseCsv } from './speaker-labelling.js';

/**
 * Issue 13, item 6: the fact checker over the offline drafter's notes on ACI-Bench validation and
 * MTS-Dialog validation (public corpora read by path from ../shared/corpora). For every drafted
 * sentence stating a dose, frequency or number: the share whose values (doses, units, frequencies,
 * routes, numbers) are all found in the transcript lines it cites — target 100 % — and the share
 * with no unmatched fact of any kind. The baseline, measured in the same run, checks the same
 * sentences against the cited lines of the next such sentence in the same visit: what the checker
 * finds when the evidence is real visit speech but the wrong lines (low = the checker discriminates).
 * Time: checking every sentence of a note, beside drafting that note.
 */
const VALUE_KINDS: ReadonlySet<FactKind> = new Set(['dose', 'unit', 'frequency', 'route', 'number']);

interface Checked {
  readonly text: string;
  readonly evidence: string[];
}

function visitSentences(segments: readonly TranscriptSegment[]): Checked[] {
  const byId = new Map(segments.map((s) => [s.id, s.text]));
  const out: Checked[] = [];
  for (const sentences of Object.values(draftOffline(segments).sections)) {
    for (const s of sentences ?? []) {
      const facts = extractFacts(s.text);
      const hasValues = facts.numbers.length > 0 || facts.regimen.some((r) => r.kind === 'dose' || r.kind === 'frequency');
      if (hasValues) out.push({ text: s.text, evidence: s.evidence.map((id) => byId.get(id) ?? '') });
    }
  }
  return out;
}

const pct = (n: number, d: number) => (d === 0 ? null : Number(((100 * n) / d).toFixed(2)));

function medianMs(runs: number, fn: () => void): number {
  const times: number[] = [];
  for (let i = 0; i < runs; i += 1) {
    const start = performance.now();
    fn();
    times.push(performance.now() - start);
  }
  times.sort((a, b) => a - b);
  return Number(times[Math.floor(times.length / 2)]!.toFixed(3));
}

function score(visits: readonly TranscriptSegment[][]): Record<string, unknown> {
  let sentences = 0;
  let valuesFound = 0;
  let allFound = 0;
  let baselineSentences = 0;
  let baselineValuesFound = 0;
  const unmatched: Partial<Record<FactKind, number>> = {};
  const examples: string[] = [];
  for (const segments of visits) {
    const checked = visitSentences(segments);
    checked.forEach((s, i) => {
      const found = checkFacts(s.text, s.evidence);
      sentences += 1;
      if (!found.some((m) => VALUE_KINDS.has(m.kind))) valuesFound += 1;
      else if (examples.length < 5) examples.push(`${s.text} ⟸ ${JSON.stringify(found)}`);
      if (found.length === 0) allFound += 1;
      for (const m of found) unmatched[m.kind] = (unmatched[m.kind] ?? 0) + 1;
      const other = checked[(i + 1) % checked.length]!;
      if (checked.length > 1 && other.evidence.join('\n') !== s.evidence.join('\n')) {
        baselineSentences += 1;
        if (!checkFacts(s.text, other.evidence).some((m) => VALUE_KINDS.has(m.kind))) baselineValuesFound += 1;
      }
    });
  }
  const longest = [...visits].sort((a, b) => b.length - a.length)[0] ?? [];
  const note = draftOffline(longest);
  const byId = new Map(longest.map((s) => [s.id, s.text]));
  const all = Object.values(note.sections).flatMap((list) => list ?? []);
  return {
    visits: visits.length,
    sentencesWithValues: sentences,
    valuesFoundPercent: pct(valuesFound, sentences),
    allFactsFoundPercent: pct(allFound, sentences),
    unmatchedByKind: unmatched,
    firstValueMismatches: examples,
    baselineWrongLinesValuesFoundPercent: pct(baselineValuesFound, baselineSentences),
    longestVisit: {
      segments: longest.length,
      sentences: all.length,
      checkAllSentencesMs: medianMs(7, () => {
        for (const s of all)
          checkFacts(
            s.text,
            s.evidence.map((id) => byId.get(id) ?? ''),
          );
      }),
      baselineDraftMs: medianMs(7, () => draftOffline(longest)),
    },
  };
}

function mtsDialogValidation(): TranscriptSegment[][] | undefined {
  const file = join(CORPORA, 'mts-dialog', 'Main-Dataset', 'MTS-Dialog-ValidationSet.csv');
  if (!existsSync(file)) return undefined;
  const [header, ...rows] = parseCsv(readFileSync(file, 'utf8'));
  const col = header!.indexOf('dialogue');
  const visits: TranscriptSegment[][] = [];
  for (const r of rows) {
    try {
      visits.push(transcriptOf(r[col] ?? ''));
    } catch {
      // A dialogue the transcript importer refuses (no speaker labels) is not a visit to draft.
    }
  }
  return visits;
}

export function benchFactCheck(): Record<string, unknown> {
  const aci = loadAciBench('valid');
  const mts = mtsDialogValidation();
  return {
    corpus: 'ACI-Bench challenge data valid (Yim et al. 2023, CC BY 4.0); MTS-Dialog validation (Ben Abacha et al. 2023, CC BY 4.0)',
    drafter: 'offline',
    metric:
      'per drafted sentence stating a dose, frequency or number: values found = no unmatched dose, unit, frequency, route or number in its cited lines; target 100 %. Timing: every sentence of the longest visit checked (each transcript line read once, as in a save), beside drafting that visit',
    aciBenchValid: aci ? score(aci.map((e) => transcriptOf(e.dialogue))) : { skipped: `ACI-Bench not found at ${aciBenchDir()}` },
    mtsDialogValid: mts ? score(mts) : { skipped: `MTS-Dialog not found under ${CORPORA}` },
  };
}

import type { AbbreviationTable } from './abbreviations.js';
import { abbreviationKey } from './abbreviations.js';
import { isStopword, queryWords, stem, words } from './text.js';

/**
 * A sentence of a note or transcript read for coding: its words in order with abbreviations
 * expanded, and which of them are negated ("denies chest pain"), uncertain ("possible pneumonia",
 * "rule out DVT": outpatient guideline IV.H codes no uncertain diagnosis) or past ("history of MI").
 * Only plainly asserted words can lead to a code.
 */
export interface ClinicalToken {
  readonly stem: string;
  readonly clause: number;
  readonly offset: number;
  readonly asserted: boolean;
  readonly negated: boolean;
}

export interface ClinicalText {
  /** Stopwords dropped, hyphenated words joined, abbreviations replaced by their first expansion. */
  readonly sequence: readonly ClinicalToken[];
  /** Asserted stems per clause (parts of hyphenated words and expansions included). */
  readonly asserted: ReadonlyMap<number, ReadonlySet<string>>;
  /** Every asserted stem of the text. */
  readonly assertedAll: ReadonlySet<string>;
  /** Stems stated as absent ("without complications"). */
  readonly negated: ReadonlySet<string>;
}

type CueKind = 'negated' | 'uncertain' | 'past';

interface Cue {
  readonly words: readonly string[];
  readonly kind: CueKind;
  /**
   * forward: the words after the cue up to the end of the sentence part (commas included: "denies fever,
   * chills or cough"); backward: the clause before it ("pneumonia ruled out").
   */
  readonly scope: 'forward' | 'backward';
}

const cue = (text: string, kind: CueKind, scope: 'forward' | 'backward' = 'forward'): Cue => ({ words: text.split(' '), kind, scope });

const CUES: readonly Cue[] = [
  ...['no', 'not', 'denies', 'denied', 'deny', 'without', 'negative for', 'free of', 'absence of', 'ruled out', 'resolved', 'never'].map(
    (t) => cue(t, 'negated'),
  ),
  ...['ruled out', 'unlikely', 'excluded', 'resolved', 'negative'].map((t) => cue(t, 'negated', 'backward')),
  ...[
    'possible',
    'possibly',
    'probable',
    'probably',
    'suspected',
    'suspect',
    'suspicious for',
    'questionable',
    'likely',
    'rule out',
    'r o',
    'versus',
    'vs',
    'concern for',
    'concerning for',
    'consider',
    'cannot exclude',
    'differential',
    'ddx',
    'may have',
    'might',
    'could be',
    'presumed',
    'presumptive',
    'working diagnosis',
    'consistent with',
    'suggestive of',
    'evaluate for',
    'evaluation for',
    'screen for',
    'assess for',
    'risk',
    'risks',
    'prevent',
    'prevention',
    'avoid',
    'monitor for',
    'watch for',
    'if',
    'etiologies',
    'etiology',
  ].map((t) => cue(t, 'uncertain')),
  ...['?'].map((t) => cue(t, 'uncertain', 'backward')),
  ...[
    'history of',
    'hx of',
    'h o',
    'past medical history',
    'pmh',
    'status post',
    's p',
    'family history',
    'fhx',
    'prior',
    'previous',
    'remote',
  ].map((t) => cue(t, 'past')),
];

/** Words that end a cue's reach: a new statement starts ("denies chest pain but reports dyspnea"). */
const SCOPE_BREAKS = new Set([
  'but',
  'however',
  'although',
  'though',
  'except',
  'whereas',
  'yet',
  'reports',
  'presents',
  'endorses',
  'complains',
  'admits',
  'notes',
  'has',
  'have',
  'is',
  'are',
  'was',
  'were',
  'given',
  'because',
  'since',
]);

export function readClinicalText(text: string, table: AbbreviationTable): ClinicalText {
  // A question mark is a cue ("pneumonia?"): kept as a word for the scan, still ending its sentence part.
  const all = words(text.replace(/\?/g, ' qmark . '));
  const plain = all.filter((w) => !w.joined);
  const state = plain.map(() => ({ negated: false, uncertain: false, past: false }));
  for (let i = 0; i < plain.length; i += 1) {
    for (const c of CUES) {
      const raw = c.words.map((w) => (w === '?' ? 'qmark' : w));
      if (!raw.every((w, k) => plain[i + k]?.raw === w && plain[i + k]?.clause === plain[i]!.clause)) continue;
      const clause = plain[i]!.clause;
      const span = plain[i]!.span;
      if (c.scope === 'forward') {
        for (let j = i + raw.length; j < plain.length && plain[j]!.span === span && !SCOPE_BREAKS.has(plain[j]!.raw); j += 1)
          state[j]![c.kind] = true;
      } else {
        for (let j = i - 1; j >= 0 && plain[j]!.clause === clause && !SCOPE_BREAKS.has(plain[j]!.raw); j -= 1) state[j]![c.kind] = true;
      }
    }
  }
  const stateAt = new Map<number, { negated: boolean; uncertain: boolean; past: boolean }>();
  plain.forEach((w, i) => {
    const previous = stateAt.get(w.offset);
    const s = state[i]!;
    // The parts of one hyphenated word share its offset: any part's cue marks the whole.
    stateAt.set(
      w.offset,
      previous
        ? { negated: previous.negated || s.negated, uncertain: previous.uncertain || s.uncertain, past: previous.past || s.past }
        : s,
    );
  });

  const sequence: ClinicalToken[] = [];
  const asserted = new Map<number, Set<string>>();
  const assertedAll = new Set<string>();
  const negated = new Set<string>();
  const note = (stemmed: string, clause: number, isAsserted: boolean, isNegated: boolean) => {
    if (isAsserted) {
      let set = asserted.get(clause);
      if (!set) asserted.set(clause, (set = new Set()));
      set.add(stemmed);
      assertedAll.add(stemmed);
    }
    if (isNegated) negated.add(stemmed);
  };

  const hyphenated = new Set(all.filter((w) => w.joined).map((w) => w.offset));
  const units = all.filter((w) => (w.joined || !hyphenated.has(w.offset)) && w.raw !== 'qmark');
  for (const w of all) {
    if (w.raw === 'qmark' || isStopword(w.raw)) continue;
    const s = stateAt.get(w.offset)!;
    note(w.stem, w.clause, !s.negated && !s.uncertain && !s.past, s.negated);
  }
  for (let i = 0; i < units.length; i += 1) {
    const w = units[i]!;
    const s = stateAt.get(w.offset)!;
    const isAsserted = !s.negated && !s.uncertain && !s.past;
    const next = units[i + 1];
    // Pairs before stopwords: the "a" of "a fib" is a stopword on its own.
    const pair = next && next.clause === w.clause ? table.get(abbreviationKey(w.raw + next.raw)) : undefined;
    if (!pair && isStopword(w.raw)) continue;
    const abbreviation = pair ?? table.get(abbreviationKey(w.raw));
    // Ambiguous abbreviations (PE: embolism or exam?) are left as written: they can never code alone.
    if (abbreviation && !abbreviation.ambiguous) {
      if (pair) i += 1;
      for (const part of queryWords(abbreviation.expansions[0]!)) {
        const stemmed = stem(part);
        sequence.push({ stem: stemmed, clause: w.clause, offset: w.offset, asserted: isAsserted, negated: s.negated });
        note(stemmed, w.clause, isAsserted, s.negated);
      }
      for (const expansion of abbreviation.expansions.slice(1))
        for (const part of queryWords(expansion)) note(stem(part), w.clause, isAsserted, s.negated);
      continue;
    }
    sequence.push({ stem: w.stem, clause: w.clause, offset: w.offset, asserted: isAsserted, negated: s.negated });
  }
  return { sequence, asserted, assertedAll, negated };
}

import type { CodeSuggestion } from '../../shared/domain/note.js';
import type { IcdEntry } from './code-set.js';
import type { Concept } from './concepts.js';
import { combinations } from './concepts.js';
import type { ClinicalText } from './clinical-text.js';
import { readClinicalText } from './clinical-text.js';
import { withDot } from './icd-code.js';
import { validateCodes } from './icd-validate.js';
import { phraseKey } from './search-query.js';
import type { Terminology } from './terminology.js';

export interface TextUnit {
  readonly id: string;
  readonly text: string;
}

export interface SuggestionInput {
  /** The draft's assessment sentences, in order. Codes come only from what these assert. */
  readonly assessment: readonly TextUnit[];
  /** Transcript segments: cited as further evidence for a code the assessment supports. */
  readonly transcript?: readonly TextUnit[];
}

/** How many codes a hint names. */
const HINT_CHOICES = 5;

interface Finding {
  code: string;
  /** Where the hint looks for more specific codes, or undefined when the code is as specific as the text. */
  hintScope: readonly string[] | undefined;
  conceptId: string | undefined;
  /** Required words, for codes found by their title alone (to find them in the transcript). */
  words: readonly string[] | undefined;
  sentences: string[];
  first: number;
}

/**
 * Proposes ICD-10-CM codes for an assessment:
 *  1. conditions named as clinicians name them (concepts.ts, abbreviations expanded) give their
 *     default code, or a more specific billable code of the same family whose title's every
 *     distinguishing word the sentence states (positively: "without complications" is not
 *     "complications");
 *  2. any other billable code whose title's required words all appear asserted in one clause;
 *  3. hypertension with heart failure or CKD becomes the combination code (guideline I.C.9.a).
 * Negated, uncertain and past mentions give no code. Every code is checked against the code set in
 * use: only billable codes it holds are returned, with its official description, never anything else.
 */
export function suggestCodes(input: SuggestionInput, terminology: Terminology): CodeSuggestion[] {
  const { codeSet, abbreviations } = terminology;
  const { matcher, fallback } = preparedFor(terminology);
  const findings = new Map<string, Finding>();
  const record = (f: Omit<Finding, 'sentences' | 'first'>, sentenceId: string, position: number) => {
    const existing = findings.get(f.code);
    if (existing) {
      if (!existing.sentences.includes(sentenceId)) existing.sentences.push(sentenceId);
      existing.first = Math.min(existing.first, position);
    } else findings.set(f.code, { ...f, sentences: [sentenceId], first: position });
  };

  const conceptsSeen = new Map<string, { codes: Set<string>; sentences: Set<string> }>();
  input.assessment.forEach((sentence, index) => {
    const text = readClinicalText(sentence.text, abbreviations);
    const categories = new Set<string>();
    const spans = matcher(text);
    const refined = spans.map((match) => ({ match, chosen: refine(match, spans, text, terminology) }));
    // A symptom that made a condition more specific ("diabetes with hyperglycemia") is not coded again on its
    // own (guideline I.B.5); a condition that did ("diabetes with CKD") is, beside it (N18.x with E11.22).
    const consumedBy = (skip: number) => new Set(refined.flatMap((r, k) => (k === skip ? [] : (r.chosen?.distinguishing ?? []))));
    const consumed = consumedBy(-1);
    for (const [k, { match, chosen }] of refined.entries()) {
      if (!chosen) continue;
      const others = consumedBy(k);
      if (isSymptom(chosen.entry.code) && match.stems.every((w) => others.has(w))) continue;
      categories.add(chosen.entry.code.slice(0, 3));
      const seen = conceptsSeen.get(match.concept.id) ?? { codes: new Set<string>(), sentences: new Set<string>() };
      seen.codes.add(chosen.entry.code);
      seen.sentences.add(sentence.id);
      conceptsSeen.set(match.concept.id, seen);
      record(
        { code: chosen.entry.code, hintScope: chosen.hintScope, conceptId: match.concept.id, words: undefined },
        sentence.id,
        index * 10_000 + match.offset,
      );
    }
    for (const found of fallback(text, spans)) {
      if (categories.has(found.entry.code.slice(0, 3)) || (isSymptom(found.entry.code) && found.words.every((w) => consumed.has(w))))
        continue;
      const general = terminology.index.analysis(found.entry.code)?.unspecified ?? false;
      const parent = codeSet.parent(found.entry.code);
      record(
        { code: found.entry.code, hintScope: general && parent ? [parent.code] : undefined, conceptId: undefined, words: found.words },
        sentence.id,
        index * 10_000 + found.offset,
      );
    }
    const bmi = bmiCode(sentence.text);
    if (bmi) record({ code: bmi, hintScope: undefined, conceptId: 'bmi', words: undefined }, sentence.id, index * 10_000);
  });

  applyCombinations(findings, conceptsSeen, terminology);
  // Body mass index is reported only beside a diagnosis it supports (guideline I.B.14).
  const weightDiagnosis =
    ['obesity', 'morbid-obesity', 'overweight'].some((id) => conceptsSeen.has(id)) || [...findings.keys()].some((c) => c.startsWith('E66'));
  for (const [code, f] of findings) if (f.conceptId === 'bmi' && !weightDiagnosis) findings.delete(code);
  dropSupersededDefaults(findings);

  // Diagnoses before symptoms (guideline I.B.4-5: symptoms are coded when no definitive diagnosis explains them),
  // each in the order the assessment names them.
  const ordered = [...findings.values()].sort((a, b) => Number(isSymptom(a.code)) - Number(isSymptom(b.code)) || a.first - b.first);
  const check = validateCodes(
    codeSet,
    ordered.map((f) => f.code),
  );
  const allowed = new Set(check.accepted.map((a) => a.code));
  const transcript = (input.transcript ?? []).map((segment) => {
    const text = readClinicalText(segment.text, abbreviations);
    return { id: segment.id, text, matches: matcher(text) };
  });
  const suggestions: CodeSuggestion[] = [];
  for (const f of ordered) {
    const entry = codeSet.get(f.code);
    if (!entry?.billable || !allowed.has(withDot(f.code))) continue;
    const segments = transcript.filter((segment) => supports(segment.text, segment.matches, f)).map((segment) => segment.id);
    const hint = specificityHint(entry, f.hintScope, terminology);
    suggestions.push({
      code: withDot(entry.code),
      description: entry.title,
      rank: suggestions.length + 1,
      evidence: [...f.sentences, ...segments],
      status: 'suggested',
      ...(hint ? { specificityHint: hint } : {}),
    });
  }
  return suggestions;
}

interface Prepared {
  readonly matcher: (text: ClinicalText) => ConceptMatch[];
  readonly fallback: (text: ClinicalText, spans: readonly ConceptMatch[]) => FallbackFound[];
}

/** Built once per loaded code set: the fallback index walks every billable title. */
const prepared = new WeakMap<Terminology, Prepared>();

function preparedFor(terminology: Terminology): Prepared {
  let found = prepared.get(terminology);
  if (!found) {
    found = { matcher: conceptMatcher(terminology.concepts), fallback: fallbackIndex(terminology) };
    prepared.set(terminology, found);
  }
  return found;
}

interface ConceptMatch {
  readonly concept: Concept;
  readonly stems: readonly string[];
  readonly offset: number;
  /** The matched words: sequence[start, end). */
  readonly start: number;
  readonly end: number;
}

/**
 * Whether a sentence states `word` for a code: asserted, and not merely part of another condition's
 * name (the "2" of "type 2 diabetes" is no CKD stage), unless the code names that whole condition
 * (E11.22 "with diabetic chronic kidney disease" may use the words of "CKD").
 */
function states(
  text: ClinicalText,
  spans: readonly ConceptMatch[],
  word: string,
  required: ReadonlySet<string>,
  own?: ConceptMatch,
  clause?: number,
): boolean {
  let seen = false;
  for (let i = 0; i < text.sequence.length; i += 1) {
    const token = text.sequence[i]!;
    if (token.stem !== word || (clause !== undefined && token.clause !== clause)) continue;
    seen = true;
    if (!token.asserted) continue;
    if (spans.every((span) => span === own || i < span.start || i >= span.end || span.stems.every((w) => required.has(w)))) return true;
  }
  // Words outside the sequence: parts of hyphenated words, second expansions of abbreviations.
  if (seen) return false;
  return clause === undefined ? text.assertedAll.has(word) : (text.asserted.get(clause)?.has(word) ?? false);
}

/** Leftmost-longest matching of concept phrases over a text's word sequence, asserted mentions only. */
function conceptMatcher(list: readonly Concept[]): (text: ClinicalText) => ConceptMatch[] {
  const byFirstWord = new Map<string, { concept: Concept; stems: readonly string[] }[]>();
  for (const concept of list) {
    for (const phrase of concept.phrases) {
      const stems = phraseKey(phrase).split(' ');
      const bucket = byFirstWord.get(stems[0]!) ?? [];
      bucket.push({ concept, stems });
      byFirstWord.set(stems[0]!, bucket);
    }
  }
  for (const bucket of byFirstWord.values()) bucket.sort((a, b) => b.stems.length - a.stems.length);
  return (text) => {
    const found: ConceptMatch[] = [];
    const seq = text.sequence;
    for (let i = 0; i < seq.length; i += 1) {
      const start = seq[i]!;
      const candidate = byFirstWord
        .get(start.stem)
        ?.find(({ stems }) => stems.every((s, k) => seq[i + k]?.stem === s && seq[i + k]?.clause === start.clause));
      if (!candidate) continue;
      const span = seq.slice(i, i + candidate.stems.length);
      if (span.every((t) => t.asserted))
        found.push({ concept: candidate.concept, stems: candidate.stems, offset: start.offset, start: i, end: i + candidate.stems.length });
      i += candidate.stems.length - 1;
    }
    return found;
  };
}

const releaseCode = (code: string) => code.replace('.', '');

/** Chapter 18: symptoms, signs and abnormal findings. */
const isSymptom = (code: string) => code.startsWith('R');

interface Refined {
  readonly entry: IcdEntry;
  readonly hintScope: readonly string[] | undefined;
  /** The words that took the code beyond the concept's default. */
  readonly distinguishing: readonly string[];
}

/** The concept's default, or the family's billable code whose distinguishing words the text states most fully. */
function refine(match: ConceptMatch, spans: readonly ConceptMatch[], text: ClinicalText, terminology: Terminology): Refined | undefined {
  const { concept } = match;
  const { codeSet, index } = terminology;
  const fallbackEntry = codeSet.get(releaseCode(concept.code));
  const family = (concept.family ?? [concept.code.slice(0, 3)]).map(releaseCode);
  const conceptWords = new Set(concept.phrases.flatMap((p) => phraseKey(p).split(' ')));
  let best: { entry: IcdEntry; distinguishing: readonly string[] } | undefined;
  for (const prefix of family) {
    const headerWords = new Set(index.analysis(prefix)?.required ?? []);
    for (const entry of codeSet.withPrefix(prefix)) {
      if (!entry.billable || entry.code === fallbackEntry?.code) continue;
      const analysis = index.analysis(entry.code);
      if (!analysis) continue;
      const distinguishing = analysis.required.filter((w) => !conceptWords.has(w) && !headerWords.has(w));
      if (distinguishing.length === 0) continue;
      const required = new Set(analysis.required);
      if (!distinguishing.every((w) => states(text, spans, w, required, match))) continue;
      if (analysis.excluded.some((w) => states(text, spans, w, required, match))) continue;
      const better =
        !best ||
        distinguishing.length > best.distinguishing.length ||
        (distinguishing.length === best.distinguishing.length &&
          (Number(terminology.common.has(entry.code)) - Number(terminology.common.has(best.entry.code)) ||
            best.entry.code.length - entry.code.length ||
            best.entry.order - entry.order) > 0);
      if (better) best = { entry, distinguishing };
    }
  }
  if (best) {
    const general = index.analysis(best.entry.code)?.unspecified ?? false;
    const parent = codeSet.parent(best.entry.code);
    return { entry: best.entry, hintScope: general && parent ? [parent.code] : undefined, distinguishing: best.distinguishing };
  }
  if (!fallbackEntry?.billable) return undefined;
  return { entry: fallbackEntry, hintScope: family, distinguishing: [] };
}

interface FallbackFound {
  readonly entry: IcdEntry;
  readonly words: readonly string[];
  readonly offset: number;
}

/**
 * Chapters a title's words alone may suggest from: diseases and symptoms. Not pregnancy or newborn
 * codes, injuries and poisonings (they need the encounter and cause), external causes, or Z factors
 * (encounters and history are what concepts.ts names on purpose).
 */
const FALLBACK_CHAPTERS = /^[A-NQR]/;

/** Billable codes whose title's required words all appear asserted in one clause, most specific only. */
function fallbackIndex(terminology: Terminology): (text: ClinicalText, spans: readonly ConceptMatch[]) => FallbackFound[] {
  const { codeSet, index } = terminology;
  const frequency = new Map<string, number>();
  const candidates: { entry: IcdEntry; required: readonly string[]; requiredSet: ReadonlySet<string>; excluded: readonly string[] }[] = [];
  for (const entry of codeSet.entries) {
    if (!entry.billable) continue;
    const analysis = index.analysis(entry.code);
    if (!analysis || analysis.required.length === 0) continue;
    // A title of one word matches too easily ("Activity, unspecified"): common one-word conditions are concepts.
    if (analysis.required.length < 2 || !FALLBACK_CHAPTERS.test(entry.code)) continue;
    candidates.push({ entry, required: analysis.required, requiredSet: new Set(analysis.required), excluded: analysis.excluded });
    for (const w of analysis.required) frequency.set(w, (frequency.get(w) ?? 0) + 1);
  }
  const byRarest = new Map<string, typeof candidates>();
  for (const c of candidates) {
    const rarest = [...c.required].sort((a, b) => (frequency.get(a) ?? 0) - (frequency.get(b) ?? 0))[0]!;
    const bucket = byRarest.get(rarest) ?? [];
    bucket.push(c);
    byRarest.set(rarest, bucket);
  }
  return (text, spans) => {
    const found: (FallbackFound & { required: ReadonlySet<string> })[] = [];
    for (const [clause, stems] of text.asserted) {
      for (const s of stems) {
        for (const c of byRarest.get(s) ?? []) {
          if (!c.required.every((w) => stems.has(w) && states(text, spans, w, c.requiredSet, undefined, clause))) continue;
          if (c.excluded.some((w) => states(text, spans, w, c.requiredSet))) continue;
          const offset = text.sequence.find((t) => t.clause === clause && c.required.includes(t.stem))?.offset ?? 0;
          found.push({ entry: c.entry, words: c.required, offset, required: c.requiredSet });
        }
      }
    }
    // Keep the most specific: drop a code whose required words are a strict subset of another's.
    return found.filter((a) => !found.some((b) => b.required.size > a.required.size && [...a.required].every((w) => b.required.has(w))));
  };
}

/** A transcript segment supports a code when it asserts the same condition (any concept of the code's category). */
function supports(text: ClinicalText, matches: readonly ConceptMatch[], f: Finding): boolean {
  if (f.conceptId)
    return matches.some((m) => m.concept.id === f.conceptId || releaseCode(m.concept.code).slice(0, 3) === f.code.slice(0, 3));
  if (f.words) return [...text.asserted.values()].some((stems) => f.words!.every((w) => stems.has(w)));
  return false;
}

/** Hypertension with heart failure and/or CKD: ICD-10-CM presumes the link (guideline I.C.9.a). */
function applyCombinations(
  findings: Map<string, Finding>,
  seen: ReadonlyMap<string, { codes: Set<string>; sentences: Set<string> }>,
  terminology: Terminology,
): void {
  for (const rule of combinations) {
    const base = seen.get(rule.replaces);
    const parts = rule.with.map((id) =>
      id === 'chronic-kidney-disease' ? mergeSeen(seen.get(id), seen.get('end-stage-renal-disease')) : seen.get(id),
    );
    if (!base || parts.some((p) => p === undefined)) continue;
    const stage5 = parts.some((p) => [...p!.codes].some((c) => c === 'N185' || c === 'N186'));
    const code = releaseCode(stage5 && rule.stage5 ? rule.stage5 : rule.code);
    if (!terminology.codeSet.get(code)?.billable) continue;
    const replaced = [...base.codes].map((c) => findings.get(c)).filter((f): f is Finding => f !== undefined);
    if (replaced.length === 0) continue;
    for (const f of replaced) findings.delete(f.code);
    const sentences = [...new Set([...replaced.flatMap((f) => f.sentences), ...parts.flatMap((p) => [...p!.sentences])])];
    findings.set(code, {
      code,
      hintScope: undefined,
      conceptId: rule.replaces,
      words: undefined,
      sentences,
      first: Math.min(...replaced.map((f) => f.first)),
    });
    // The rules run from the most complete combination down: one applies.
    return;
  }
}

function mergeSeen(
  a: { codes: Set<string>; sentences: Set<string> } | undefined,
  b: { codes: Set<string>; sentences: Set<string> } | undefined,
) {
  if (!a) return b;
  if (!b) return a;
  return { codes: new Set([...a.codes, ...b.codes]), sentences: new Set([...a.sentences, ...b.sentences]) };
}

/** A default code says less than a more specific one found for the same category elsewhere: keep the specific one. */
function dropSupersededDefaults(findings: Map<string, Finding>): void {
  for (const f of [...findings.values()]) {
    if (!f.hintScope) continue;
    const sameFamily = [...findings.values()].find(
      (other) => other !== f && other.code.slice(0, 3) === f.code.slice(0, 3) && !other.hintScope && other.conceptId !== undefined,
    );
    if (!sameFamily) continue;
    for (const s of f.sentences) if (!sameFamily.sentences.includes(s)) sameFamily.sentences.push(s);
    sameFamily.first = Math.min(sameFamily.first, f.first);
    findings.delete(f.code);
  }
}

function specificityHint(
  entry: IcdEntry,
  scope: readonly string[] | undefined,
  terminology: Terminology,
): CodeSuggestion['specificityHint'] {
  if (!scope) return undefined;
  const { codeSet, common } = terminology;
  const choices = scope.flatMap((prefix) => codeSet.billableBelow(prefix)).filter((e) => e.code !== entry.code);
  if (choices.length === 0) return undefined;
  const picked = [...choices]
    .sort((a, b) => Number(common.has(b.code)) - Number(common.has(a.code)) || a.order - b.order)
    .slice(0, HINT_CHOICES);
  const where = scope.map((p) => `${withDot(p)} (${codeSet.get(p)?.title ?? 'its group'})`).join(', ');
  return {
    message: `${withDot(entry.code)} is the least specific choice. ${choices.length} more specific billable code${choices.length === 1 ? '' : 's'} under ${where} apply if the note documents more (type, stage, site, complication), such as ${picked.map((e) => `${withDot(e.code)} ${e.title}`).join('; ')}.`,
    moreSpecific: picked.map((e) => withDot(e.code)),
  };
}

/** "BMI 32.4" → Z68.32 (adult body mass index ranges of Z68). */
export function bmiCode(text: string): string | undefined {
  const match = /\b(?:bmi|body mass index)\b\D{0,12}?(\d{2}(?:\.\d+)?)\b/i.exec(text);
  if (!match) return undefined;
  const value = Number.parseFloat(match[1]!);
  if (!Number.isFinite(value) || value < 10 || value > 150) return undefined;
  if (value < 20) return 'Z681';
  if (value < 40) return `Z68${Math.floor(value)}`;
  if (value < 45) return 'Z6841';
  if (value < 50) return 'Z6842';
  if (value < 60) return 'Z6843';
  if (value < 70) return 'Z6844';
  return 'Z6845';
}

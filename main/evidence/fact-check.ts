import type { FactKind, FactMismatch } from '../../shared/domain/note.js';
import type { TextFacts } from './fact-check/extract-facts.js';
import { extractFacts } from './fact-check/extract-facts.js';
import { spanOf } from './fact-check/tokens.js';

/**
 * The facts stated in `sentence` (medications, doses and units, frequencies, routes, numbers,
 * laterality, negations) that none of the cited transcript lines states. Empty when every fact is
 * found. Each is reported in the sentence's own words. When in doubt a fact is reported: a false
 * "unmatched" asks a clinician to look, a false "matched" would let a changed dose be signed.
 * The equivalence tables are in fact-check/ (frequencies.ts, routes.ts, units.ts); docs/architecture.md
 * ("Fact check") says what is checked and what is not.
 */
export function checkFacts(sentence: string, evidence: readonly string[]): FactMismatch[] {
  const s = extractFacts(sentence);
  const ev = evidence.map(cachedFacts);
  const out: FactMismatch[] = [];
  const seen = new Set<string>();
  const report = (kind: FactKind, from: number, to: number) => {
    const value = spanOf(s.text, s.tokens, from, to);
    if (!seen.has(`${kind}\u0000${value}`)) out.push({ kind, value });
    seen.add(`${kind}\u0000${value}`);
  };

  for (const med of s.medications) {
    const word = s.tokens[med.from]!.norm;
    // A word the reader does not know as a drug still backs itself ("xyzpril 10 mg" said, "xyzpril" written).
    const single = med.to - med.from === 1;
    if (!ev.some((e) => e.medications.some((m) => m.key === med.key) || (single && e.words.has(word))))
      report('medication', med.from, med.to);
  }
  for (const fact of s.regimen) {
    if (ev.some((e) => e.regimen.some((r) => r.kind === fact.kind && r.key === fact.key && belongs(r.drug, fact.drug)))) continue;
    if (fact.kind === 'dose') {
      // The amount is there but not this unit (or none): the unit is what changed.
      const parts = fact.amount!.split('-');
      const said = ev.some((e) => parts.every((part) => (e.amounts.get(part) ?? []).some((owner) => belongs(owner, fact.drug))));
      if (said) report('unit', fact.unitFrom!, fact.to);
      else report('dose', fact.from, fact.to);
    } else report(fact.kind, fact.from, fact.to);
  }
  for (const n of s.numbers) if (!saysNumber(ev, n.key)) report('number', n.from, n.to);
  for (const side of s.sides) {
    const found = ev.some((e) => e.sides.some((x) => x.key === side.key));
    const both =
      side.key === 'bilateral' &&
      ev.some((e) => e.sides.some((x) => x.key === 'left')) &&
      ev.some((e) => e.sides.some((x) => x.key === 'right'));
    if (!found && !both) report('laterality', side.from, side.to);
  }
  for (const m of s.mentions) {
    if (!m.question && polarityDiffers(m.stem, m.negated, ev)) report('negation', m.from, m.at + 1);
  }
  return out;
}

/**
 * A dose, frequency or route of one medicine backs the same of that medicine, or of a sentence
 * naming none; one said of no medicine backs any.
 */
const belongs = (evidenceDrug: string | undefined, sentenceDrug: string | undefined) =>
  evidenceDrug === undefined || sentenceDrug === undefined || evidenceDrug === sentenceDrug;

/**
 * A number is found as said; a reading ("120/80") only whole, so its parts cannot make another; a
 * score out of 10 ("7/10") also as its score with the scale said ("on a scale of 1 to 10?" "7").
 */
function saysNumber(evidence: readonly TextFacts[], key: string): boolean {
  const has = (n: string) => evidence.some((e) => e.amounts.has(n));
  if (!key.includes('/')) return has(key);
  if (evidence.some((e) => e.numbers.some((m) => m.key === key))) return true;
  const [score, scale] = key.split('/');
  return scale === '10' && has(score!) && has('10');
}

/**
 * A word the sentence states as present (or absent) while its evidence only states the opposite.
 * Where the evidence only asks about it ("any fever?"), the answer decides: a "no" anywhere outside
 * the question means absent; an answer without "no" means present; no answer cited backs neither.
 */
function polarityDiffers(stem: string, negated: boolean, evidence: readonly TextFacts[]): boolean {
  const said = evidence.flatMap((e) => e.mentions.filter((m) => m.stem === stem));
  if (said.length === 0) return false;
  const stated = said.filter((m) => !m.question);
  if (stated.length > 0) return !stated.some((m) => m.negated === negated);
  if (!evidence.some((e) => e.states)) return true;
  return evidence.some((e) => e.saysNo) !== negated;
}

/** Transcript lines are cited by many sentences of a note: each is read once. */
const cache = new Map<string, TextFacts>();
const CACHE_SIZE = 512;

function cachedFacts(text: string): TextFacts {
  const hit = cache.get(text);
  if (hit) return hit;
  const facts = extractFacts(text);
  if (cache.size >= CACHE_SIZE) cache.delete(cache.keys().next().value!);
  cache.set(text, facts);
  return facts;
}

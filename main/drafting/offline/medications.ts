import type { Placed, Regimen } from '../../evidence/fact-check/extract-facts.js';
import { extractFacts } from '../../evidence/fact-check/extract-facts.js';
import { stem } from '../../evidence/fact-check/negation.js';
import { spanOf } from '../../evidence/fact-check/tokens.js';

export interface Medication {
  readonly name: string;
  readonly dose?: string;
  readonly frequency?: string;
  /** "Lisinopril 20 mg daily." */
  readonly text: string;
}

/** Units written the way notes write them; every other unit stays as said. Each pair is one unit to the fact checker. */
const UNIT_SHORT: Record<string, string> = {
  milligram: 'mg',
  milligrams: 'mg',
  mgs: 'mg',
  microgram: 'mcg',
  micrograms: 'mcg',
  gram: 'g',
  grams: 'g',
  milliliter: 'mL',
  milliliters: 'mL',
  ml: 'mL',
};

/** Spoken schedules and the note's words for them: the same key in the fact checker's frequency table. */
const NOTE_FREQUENCY: Record<string, string> = {
  'a day': 'daily',
  'per day': 'daily',
  'every day': 'daily',
  'each day': 'daily',
  'once a day': 'daily',
  'once per day': 'daily',
  'twice a day': 'twice daily',
  'twice per day': 'twice daily',
};

const title = (name: string) => name.charAt(0).toUpperCase() + name.slice(1);

/** What may stand between two parts of one regimen ("25 milligrams, twice a day", "5 mg half tablet daily"); kept as said. */
const JOINERS = new Set(
  ', - to be taken take of a the and then by at is was on about up half one tablet tablets tab tabs pill pills capsule capsules inhaler inhalers cream ointment injection shot pack over-the-counter otc total approximately around currently now still just only dose'.split(
    ' ',
  ),
);
const MAX_GAP = 4;
/** Joining words that carry nothing of the regimen: dropped between a name and its dose ("metformin, 500 mg"). */
const LINKING = new Set([
  ',',
  '-',
  'to',
  'at',
  'of',
  'is',
  'was',
  'on',
  'be',
  'the',
  'a',
  'up',
  'currently',
  'now',
  'still',
  'just',
  'dose',
  'take',
  'taken',
]);
const DETERMINER = new Set(['the', 'your', 'my', 'his', 'her', 'their', 'some']);

type Facts = ReturnType<typeof extractFacts>;
type Part = Pick<Regimen, 'from' | 'to'> & { readonly kind: Regimen['kind'] | 'number'; readonly fact?: Regimen };

/**
 * The regimen said with a medicine: the dose just before it ("500 mg of metformin"), then the
 * doses, routes and frequencies that follow it, each at most a few joining words from the last
 * ("25 milligrams, twice a day"), and a bare amount right before a frequency ("colchicine 0.6
 * daily"). It stops at anything else: another medicine, "I", "because", "for pain".
 */
function regimenOf(facts: Facts, med: Placed): { before: Regimen | undefined; parts: Part[] } {
  const { tokens } = facts;
  let of = med.from - 1;
  if (DETERMINER.has(tokens[of]?.norm ?? '')) of -= 1;
  const before = tokens[of]?.norm === 'of' ? facts.regimen.find((r) => r.kind === 'dose' && r.to === of && r.drug === med.key) : undefined;
  const candidates: Part[] = [
    ...facts.regimen
      .filter((r) => r.drug === med.key || r.drug === undefined)
      .map((r) => ({ kind: r.kind, from: r.from, to: r.to, fact: r })),
    ...facts.numbers.filter((n) => !n.key.includes('/')).map((n) => ({ kind: 'number' as const, from: n.from, to: n.to })),
  ].sort((x, y) => x.from - y.from);
  const parts: Part[] = [];
  let end = med.to;
  for (const part of candidates) {
    if (part.from < end) continue;
    const gap = tokens.slice(end, part.from);
    if (gap.length > MAX_GAP || gap.some((t) => !JOINERS.has(t.norm))) break;
    // A bare amount counts only right before its frequency: "0.6 daily".
    if (part.kind === 'number' && candidates.find((c) => c.from === part.to)?.kind !== 'frequency') break;
    parts.push(part);
    end = part.to;
  }
  return { before, parts };
}

function wording(facts: Facts, part: Part): string {
  const raw = spanOf(facts.text, facts.tokens, part.from, part.to);
  const fact = part.fact;
  if (fact?.kind === 'dose') {
    const unit = spanOf(facts.text, facts.tokens, fact.unitFrom!, fact.to);
    return `${fact.amount!.replace('-', ' to ')} ${UNIT_SHORT[unit] ?? unit}`;
  }
  if (fact?.kind === 'frequency') return NOTE_FREQUENCY[raw] ?? raw;
  return part.kind === 'number' ? facts.tokens[part.from]!.norm : raw;
}

/**
 * Medications with their regimen: "lisinopril 20 mg a day", "500 milligrams of metformin twice a
 * day", "tramadol, 50 milligrams, every 6 hours as needed", "I take lasix every morning". The name
 * must be a known drug, or a drug-shaped word right before a dose. The regimen is read by the fact
 * checker's own reader (main/evidence/fact-check/), so the note says what the checker will look for
 * in the transcript: every dose, route and frequency said with the medicine is kept with the words
 * between them, as said (numbers in digits, "milligrams" as "mg", "a day" as "daily", "twice a day"
 * as "twice daily": the same schedule in the checker's tables); nothing in the run is dropped.
 */
export function extractMedications(sentence: string): Medication[] {
  const facts = extractFacts(sentence);
  const found = new Map<string, Medication>();
  for (const med of facts.medications) {
    const name = spanOf(facts.text, facts.tokens, med.from, med.to).toLowerCase();
    if (found.has(name)) continue;
    const { before, parts } = regimenOf(facts, med);
    let text = title(name).replace(/^Vitamin ([a-z])\b/, (_m, letter: string) => `Vitamin ${letter.toUpperCase()}`);
    if (before) text += ` ${wording(facts, { kind: 'dose', from: before.from, to: before.to, fact: before })}`;
    let end = med.to;
    for (const part of parts) {
      // The words between two parts, as said ("25 mg, twice daily", "5 mg half tablet daily"); only
      // linking words between the name and its regimen go ("increase lisinopril to 20 mg" → "Lisinopril 20 mg").
      const gap = facts.text.slice(facts.tokens[end - 1]!.end, facts.tokens[part.from]!.start);
      const linking = end === med.to && facts.tokens.slice(end, part.from).every((t) => LINKING.has(t.norm));
      text += `${gap.trim() === '' || linking ? ' ' : gap}${wording(facts, part)}`;
      end = part.to;
    }
    const dose = [before, ...parts.map((p) => p.fact)].find((f) => f?.kind === 'dose');
    const frequency = parts.filter((p) => p.kind === 'frequency').map((p) => wording(facts, p));
    found.set(name, {
      name,
      ...(dose ? { dose: wording(facts, { kind: 'dose', from: dose.from, to: dose.to, fact: dose }) } : {}),
      ...(frequency.length ? { frequency: frequency.join(' ') } : {}),
      text: `${text}.`,
    });
  }
  return [...found.values()];
}

/** Said just before a medicine's name, these mean it is not taken now: "allergic to penicillin", "I used to take ibuprofen". */
const NOT_TAKEN =
  /\b(?:allergic to|allergy to|allergies to|reaction to|used to (?:take|be on)|no longer (?:take|taking|on)|stopped(?: taking)?|quit(?: taking)?|(?:not|never) (?:take|taking|taken|on|been on|tried)|(?:don't|didn't|doesn't) take|came off|(?:was|were) on|tried)\b[^.;]{0,25}$/;

/** The medicines a sentence says are taken now: not those named as allergies, past, refused or denied ("not been taking Allegra"). */
export function takenMedications(sentence: string): Medication[] {
  const denied = new Set(
    extractFacts(sentence)
      .mentions.filter((m) => m.negated)
      .map((m) => m.stem),
  );
  return extractMedications(sentence).filter((med) => {
    const at = new RegExp(String.raw`\b${med.name}\b`).exec(sentence)?.index ?? 0;
    return !NOT_TAKEN.test(sentence.slice(Math.max(0, at - 40), at)) && !denied.has(stem(med.name.split(' ')[0]!));
  });
}

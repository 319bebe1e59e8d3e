import { DRUGS, DRUG_SUFFIX } from './lexicon.js';

/**
 * Medications with dose and frequency: "lisinopril 20 mg a day", "500 milligrams of metformin twice
 * a day", "I take lasix every morning". The name must be a known drug, or a drug-shaped word right
 * before a dose.
 */
const UNIT = String.raw`(mg|milligrams?|mcg|micrograms?|g|grams?|units?|ml|milliliters?|puffs?|tablets?|pills?)`;
const FREQUENCY = String.raw`(once|twice|three times|four times|\d+ times)\s+(?:a|per)\s+(day|week|month)|(?:every|each)\s+(?:day|morning|night|evening|\d+\s+hours|other day|week)|(?:a|per)\s+day|daily|nightly|weekly|at (?:night|bedtime)|in the (?:morning|evening)|as needed|bid|tid|qid|prn|qd|qhs`;
const NAME = String.raw`([a-z][a-z-]{2,})`;

const DOSE_AFTER = new RegExp(
  String.raw`\b${NAME}\s+(?:(?:to|at|of|is|was)\s+)?(\d+(?:\.\d+)?)\s*${UNIT}\b(?:[^.?!,;]{0,20}?\b(${FREQUENCY}))?`,
  'g',
);
const DOSE_BEFORE = new RegExp(String.raw`\b(\d+(?:\.\d+)?)\s*${UNIT}\s+of\s+${NAME}\b(?:[^.?!,;]{0,20}?\b(${FREQUENCY}))?`, 'g');
// The frequency sits in a lookahead so that every word is tried as a name ("also some tylenol as needed").
const NAMED = new RegExp(String.raw`\b${NAME}\b(?=(?:[^.?!,;]{0,20}?\b(${FREQUENCY}))?)`, 'g');

const NOT_DRUGS = new Set([
  'one',
  'done',
  'gone',
  'alone',
  'phone',
  'bone',
  'line',
  'fine',
  'mine',
  'nine',
  'time',
  'some',
  'side',
  'inside',
  'outside',
  'wide',
  'ride',
  'while',
  'medicine',
  'routine',
  'caffeine',
  'nicotine',
  'vaccine',
  'online',
  'taking',
  'about',
  'around',
  'like',
  'take',
  'control',
  'alcohol',
  'cholesterol',
  'protocol',
  'school',
  'pool',
  'tool',
  'lol',
]);

export interface Medication {
  readonly name: string;
  readonly dose?: string;
  readonly frequency?: string;
  /** "Lisinopril 20 mg daily." */
  readonly text: string;
}

const UNIT_SHORT: Record<string, string> = {
  milligram: 'mg',
  milligrams: 'mg',
  microgram: 'mcg',
  micrograms: 'mcg',
  gram: 'g',
  grams: 'g',
  milliliter: 'mL',
  milliliters: 'mL',
  ml: 'mL',
  unit: 'units',
};

/** A known drug, or (right before a dose) a word shaped like a generic drug name. */
export function isDrugName(word: string, withDose: boolean): boolean {
  if (DRUGS.has(word)) return true;
  return withDose && word.length >= 5 && !NOT_DRUGS.has(word) && DRUG_SUFFIX.test(word);
}

function frequencyText(raw: string | undefined): string | undefined {
  if (!raw) return undefined;
  return raw
    .replace(/^(?:once\s+)?(?:a|per)\s+day$/, 'daily')
    .replace(/^once\s+(?:a|per)\s+day$/, 'once daily')
    .replace(/^twice\s+(?:a|per)\s+day$/, 'twice daily')
    .replace(/^every day$/, 'daily')
    .replace(/^(?:at night|at bedtime|every night|nightly)$/, 'at bedtime');
}

const title = (name: string) => name.charAt(0).toUpperCase() + name.slice(1);

function build(name: string, amount: string | undefined, unit: string | undefined, frequency: string | undefined): Medication {
  const dose = amount && unit ? `${amount} ${UNIT_SHORT[unit] ?? unit}` : undefined;
  const freq = frequencyText(frequency);
  const text = `${[title(name), dose, freq].filter(Boolean).join(' ')}.`;
  return { name, ...(dose ? { dose } : {}), ...(freq ? { frequency: freq } : {}), text };
}

export function extractMedications(sentence: string): Medication[] {
  const found = new Map<string, Medication>();
  for (const m of sentence.matchAll(DOSE_AFTER)) {
    if (isDrugName(m[1]!, true)) found.set(m[1]!, build(m[1]!, m[2], m[3], m[4]));
  }
  for (const m of sentence.matchAll(DOSE_BEFORE)) {
    if (isDrugName(m[3]!, true) && !found.has(m[3]!)) found.set(m[3]!, build(m[3]!, m[1], m[2], m[4]));
  }
  for (const m of sentence.matchAll(NAMED)) {
    if (isDrugName(m[1]!, false) && !found.has(m[1]!)) found.set(m[1]!, build(m[1]!, undefined, undefined, m[2]));
  }
  return [...found.values()];
}

/** Said just before a medicine's name, these mean it is not taken now: "allergic to penicillin", "I used to take ibuprofen". */
const NOT_TAKEN =
  /\b(?:allergic to|allergy to|allergies to|reaction to|used to (?:take|be on)|no longer (?:take|taking|on)|stopped(?: taking)?|quit(?: taking)?|(?:not|never) (?:take|taking|taken|on|been on|tried)|(?:don't|didn't|doesn't) take|came off|(?:was|were) on|tried)\b[^.;]{0,25}$/;

/** The medicines a sentence says are taken now: not those named as allergies, past or refused. */
export function takenMedications(sentence: string): Medication[] {
  return extractMedications(sentence).filter((med) => {
    const at = new RegExp(String.raw`\b${med.name}\b`).exec(sentence)?.index ?? 0;
    return !NOT_TAKEN.test(sentence.slice(Math.max(0, at - 40), at));
  });
}

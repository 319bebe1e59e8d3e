import type { DraftedSentence } from '../drafted-content.js';
import type { Medication } from './medications.js';
import { extractMedications } from './medications.js';

/**
 * Medicines the plan starts, stops or re-doses, so the medication list shows them: "start
 * lisinopril 10 mg daily" → "Lisinopril 10 mg daily (started today)." Only what was said is
 * written; a change without a new dose leaves the list alone.
 */
export type MedicationChange = 'started' | 'stopped' | 'increased' | 'decreased' | 'changed';

export interface PlannedMedication {
  readonly med: Medication;
  readonly change: MedicationChange;
  readonly evidence: readonly string[];
}

const VERBS: readonly (readonly [MedicationChange, RegExp])[] = [
  [
    'stopped',
    /\b(?:stop(?:ping)?|discontinu(?:e|ing)|come off|get (?:you )?off|take (?:you )?off|switch (?:you )?(?:over )?(?:from|off))\b/g,
  ],
  [
    'started',
    /\b(?:start(?:ing)?|begin|prescrib(?:e|ing)|put (?:you|him|her|them) on|add(?:ing)?|switch (?:you )?(?:over )?to|trial of)\b/g,
  ],
  ['increased', /\b(?:increas(?:e|ing)|rais(?:e|ing)|bump(?:ing)? up|go up on)\b/g],
  ['decreased', /\b(?:decreas(?:e|ing)|lower(?:ing)?|reduc(?:e|ing)|cut back|go down on)\b/g],
  ['changed', /\b(?:adjust(?:ing)?|chang(?:e|ing))\b/g],
];
/** Said near the verb, these make it something not done today: "don't stop", "we may start", "allergic to". */
const NOT_DONE =
  /\b(?:not|don't|won't|no need|never|shouldn't|may|might|could|consider(?:ing)?|think about|hold off|allergic|used to|tried|instead of|rather than)\b|n't\b/;
/** Anywhere earlier in the sentence, these make it a later possibility: "if the strep test is positive, start…". */
const LATER = /\b(?:if|unless|eventually|hopefully|in the future|down the road|at some point)\b/;
/** How far before a drug's name its verb may stand: "start you on a low dose of metformin". */
const REACH = 45;

function changeBefore(window: string, sentenceBefore: string): MedicationChange | undefined {
  let last: { change: MedicationChange; at: number; end: number } | undefined;
  for (const [change, verb] of VERBS) {
    for (const m of window.matchAll(verb)) if (!last || m.index > last.at) last = { change, at: m.index, end: m.index + m[0].length };
  }
  if (!last || NOT_DONE.test(window.slice(0, last.at)) || NOT_DONE.test(window.slice(last.end))) return undefined;
  if (LATER.test(sentenceBefore.slice(0, sentenceBefore.length - window.length + last.at))) return undefined;
  return last.change;
}

/** The medicines a plan sentence starts, stops or re-doses, each with the verb that governs it. */
export function plannedMedications(sentence: string, evidence: readonly string[]): PlannedMedication[] {
  const placed = extractMedications(sentence)
    .map((med) => ({ med, at: new RegExp(String.raw`\b${med.name}\b`).exec(sentence)?.index ?? -1 }))
    .filter((x) => x.at >= 0)
    .sort((a, b) => a.at - b.at);
  const out: PlannedMedication[] = [];
  let from = 0;
  for (const { med, at } of placed) {
    // The window stops at the previous drug: in "stop metformin and start glipizide" each has its own verb.
    const window = sentence.slice(Math.max(from, at - REACH), at);
    from = at + med.name.length;
    const change = changeBefore(window, sentence.slice(0, at));
    if (!change || (change !== 'started' && change !== 'stopped' && !med.dose)) continue;
    out.push({ med, change, evidence });
  }
  return out;
}

const NOTE: Record<MedicationChange, string> = {
  started: 'started today',
  stopped: 'stopped today',
  increased: 'dose increased today',
  decreased: 'dose decreased today',
  changed: 'dose changed today',
};

const bare = (text: string) => text.replace(/\.$/, '');

/**
 * The medication list with the plan's changes: a stopped medicine already listed is marked stopped;
 * a new dose replaces the listed one; a medicine not yet listed is added with its change.
 */
export function withMedicationChanges(
  list: readonly DraftedSentence[] | undefined,
  planned: readonly PlannedMedication[],
): DraftedSentence[] | undefined {
  if (planned.length === 0) return list ? [...list] : undefined;
  const out = [...(list ?? [])];
  for (const { med, change, evidence } of planned) {
    const i = out.findIndex((s) => new RegExp(String.raw`^${med.name}\b`, 'i').test(s.text));
    const listed = i >= 0 ? out[i]! : undefined;
    // Already listed and started again: the list already shows it as taken.
    if (listed && change === 'started') continue;
    const base = change === 'stopped' && listed ? bare(listed.text) : bare(med.text);
    const entry = { text: `${base} (${NOTE[change]}).`, evidence: [...new Set([...(listed?.evidence ?? []), ...evidence])] };
    if (listed) out[i] = entry;
    else out.push(entry);
  }
  return out;
}

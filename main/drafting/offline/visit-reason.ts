import { statedComplaint, symptomComplaint } from './complaint.js';
import { clinicalWeight, hasBodyPart, hasSymptom } from './cues.js';
import { stripLeading, wordCount } from './style.js';

/**
 * What the visit is for, in the patient's terms: their answer to the clinician's opening question
 * ("what brings you in today?" "my blood pressure readings at home have been high" → "high blood
 * pressure readings at home"), or the reason for visit the schedule gave, when the transcript says it.
 */
export const OPENING_QUESTION =
  /\b(?:what brings you (?:in|here|to (?:see )?(?:me|us)|back)|what(?:'s| is| has) brought you in|what(?:'s| is) bringing you in|what can (?:i|we) do for you|how can (?:i|we) help|what(?:'s| is) going on|what are you (?:here|in) for|what seems to be the (?:problem|trouble)|what(?:'s| is) the reason for (?:your|the|today's) visit)\b/;

/** Words that make a phrase a reason to be seen even without a clinical term. */
const VISIT_WORDS =
  /\b(?:follow(?:-| )?up|check(?:-| )?up|checkup|physical|exam|refill|screening|results?|readings|numbers|levels|sugars?)\b/;

/** How a measurement has been ("my sugars have been up" → "elevated sugars"). */
const LEVEL: Record<string, string> = {
  high: 'high',
  higher: 'high',
  elevated: 'elevated',
  up: 'elevated',
  low: 'low',
  lower: 'low',
  down: 'low',
  abnormal: 'abnormal',
  irregular: 'irregular',
};
const MEASURE = /\b(?:pressure|sugars?|glucose|readings|numbers|levels?|weight|heart rate|pulse|cholesterol|a1c)\b/;
/** How a part of the body has been ("my right knee has been swollen" → "swollen right knee"). */
const STATE: Record<string, string> = {
  swollen: 'swollen',
  red: 'red',
  itchy: 'itchy',
  sore: 'sore',
  stiff: 'stiff',
  numb: 'numb',
  tight: 'tight',
  worse: 'worsening',
  worsening: 'worsening',
};

/** "my blood pressure readings at home have been high" → subject and how it has been. */
const DESCRIBED =
  /\bmy ([a-z' -]{3,60}?) (?:(?:has|have) been|is|are|was|were|keeps?|kept) (?:(?:running|getting|going|reading|staying|coming back|coming up|still|a little|a bit|kind of|really|very|pretty|too|way|so|quite|being)\s+)*([a-z]+)\b/;

const REPORTED =
  /^i(?:'ve| have)?(?: also| still| just| really)? (?:been )?(?:having|had|have|got|gotten|getting|experiencing|noticed|noticing)\s+(?:(?:a lot of|lots of|a|an|some|this|these|that|the|like)\s+)*(.+)$/;
/** Where a reported complaint's noun phrase ends: its duration, timing and the next clause. */
const PHRASE_END =
  /\s+(?:for|since|over|lately|recently|the past|the last|that|which|and|but|when|ever|after|every|off and on|on and off|now)\b.*$/;

const isReason = (phrase: string) => clinicalWeight(phrase) > 0 || VISIT_WORDS.test(phrase);

/** A short noun phrase for the chief complaint from one sentence of the patient's answer, if it names one. */
export function complaintFromAnswer(sentence: string): string | undefined {
  const s = stripLeading(sentence).replace(/[.?!]+$/, '');
  const stated = statedComplaint(s);
  if (stated && isReason(stated)) return stated;
  const described = DESCRIBED.exec(s);
  if (described) {
    const subject = described[1]!;
    const how = described[2]!;
    const level = MEASURE.test(subject) ? LEVEL[how] : hasBodyPart(subject) || hasSymptom(subject) ? STATE[how] : undefined;
    if (level) return `${level} ${subject.replace(/\s+(?:lately|recently)$/, '')}`;
  }
  const symptom = symptomComplaint(s);
  if (symptom) return symptom;
  const reported = REPORTED.exec(s);
  const what = reported?.[1]!.replace(PHRASE_END, '').replace(/\bmy\s+/g, '');
  if (what && wordCount(what) <= 7 && isReason(what)) return what;
  // "My knee." "A blood pressure check.": the answer is the noun phrase itself.
  const bare = s
    .replace(/^(?:just|mostly|mainly)\s+/, '')
    .replace(/^(?:a|an|the|some)\s+/, '')
    .replace(/\bmy\s+/g, '');
  if (wordCount(bare) <= 6 && isReason(bare) && !/\b(?:i|i'm|i've|it|it's|is|are|was|were|has|have|been|you|do|did|not|no)\b/.test(bare))
    return bare;
  return undefined;
}

const STOP = new Set(['the', 'and', 'for', 'with', 'visit', 'patient', 'today', 'from', 'about', 'of']);

/** The content words of the schedule's reason for visit, when there are any to look for. */
export function reasonWords(reason: string): string[] {
  return (reason.toLowerCase().match(/[a-z0-9']+/g) ?? []).filter((w) => w.length >= 3 && !STOP.has(w));
}

/** Whether a (normalised) transcript sentence says the reason for visit: every content word of it, in any order. */
export function saysReason(words: readonly string[], text: string): boolean {
  if (words.length === 0) return false;
  const said = new Set(text.match(/[a-z0-9']+/g) ?? []);
  return words.every((w) => said.has(w) || said.has(`${w}s`) || (w.endsWith('s') && said.has(w.slice(0, -1))));
}

/**
 * Words that tell a third voice (a relative, a caregiver, an interpreter, a nurse or colleague) from
 * the patient, and words that show the clinician is talking to someone other than the patient.
 * A relative introduces themself ("I'm her daughter"), speaks of the patient as he or she ("she's
 * been falling", "we noticed"), an interpreter relays ("he says it started Monday"); a patient
 * speaks of themself ("I", "my knee"). A clinician talking to the third voice asks about the
 * patient in the third person ("does she take anything for it?", "are you his wife?").
 * Hand-set weights, checked on the train splits (figures in speaker-labeller.ts).
 */

const normalise = (text: string) =>
  text
    .toLowerCase()
    .replace(/[’‘]/g, "'")
    .replace(/\s+([?.!,'])/g, '$1')
    .replace(/\s+/g, ' ')
    .trim();

const RELATION =
  '(daughter|son|wife|husband|mother|mom|mum|father|dad|parents?|partner|sister|brother|caregiver|carer|granddaughter|grandson|grandmother|grandfather|grandma|grandpa|aunt|uncle|niece|nephew|friend|guardian|fianc[eé]e?|boyfriend|girlfriend)';
/** "I'm her daughter", "we are his parents", "I'm the interpreter", "this is the nurse": a new voice says who it is. */
const INTRODUCTION = new RegExp(
  `\\b((i'm|i am|we're|we are) (his|her|their|the patient's|[a-z]+'s) ${RELATION}|(i'm|i am|i'll be|this is) (the|your) (interpreter|translator|nurse|medical assistant|nursing student|medical student)|i('ll| will) (interpret|translate))\\b`,
);
/** An interpreter relaying, in the present tense: "she says it started on Monday". */
const RELAYING = /\b(he|she) (says|is saying|wants to know|is asking|asks|is telling me|tells me|understands|doesn't understand)\b/;
const THIRD_PERSON = /\b(he|she|he's|she's|him|her|his|hers|himself|herself)\b/g;
const WE = /\b(we|we've|we're|we'd|our|us)\b/g;
const FIRST_PERSON = /\b(i|me|my|i'm|i've|i'd|i'll|myself|mine)\b/g;
/** Clinical summary language: a clinician dictating about the patient also says "he" and "she". */
const DICTATION =
  /\b(\d+|[a-z]+-?)[- ]year[- ]old\b|\b(the patient|patient is|denies|presents|presented|non-?tender|tenderness|assessment|impression|plan|on exam|examination|x-?rays?|mri|ct|labs?|levels?|psa|ekg|diagnos[a-z]*|regimen|symptomatically|vaccin[a-z]*|suggested|recommended|continue|discontinu[a-z]*|status post|noted|reports|unremarkable|within normal limits|mg|milligrams?)\b/g;
const count = (line: string, re: RegExp, cap: number) => Math.min(cap, (line.match(re) ?? []).length);

/**
 * Whether a piece of non-clinician speech sounds like a third voice rather than the patient:
 * positive leans third voice, negative leans patient, 0 says nothing.
 */
export function thirdVoiceScore(text: string): number {
  const line = normalise(text);
  if (line === '') return 0;
  let score = 0;
  if (INTRODUCTION.test(line)) score += 3;
  if (RELAYING.test(line)) score += 1.5;
  if (!/\?$/.test(line)) {
    score += 0.5 * count(line, THIRD_PERSON, 4) + 0.3 * count(line, WE, 3);
    score -= 0.4 * count(line, FIRST_PERSON, 4) + 0.7 * count(line, DICTATION, 3);
  }
  return score;
}

/** "Are you his wife?", "your mom", "you two": the clinician turns to someone who came with the patient. */
const ASKS_WHO = new RegExp(
  `\\b(are you (his|her|the patient's) ${RELATION}|is this your (${RELATION.slice(1, -1)}|mom|dad)|you (two|guys|all)|both of you|who (is|do) (this|we have)|the little one)\\b`,
);
const ASKS_ABOUT =
  /\b(does|did|is|was|has|had|can|could|will|would|do|how's|how is|how has|how was|when did|when was|where does|what does|what did) (he|she)\b/;

/** "Mr. Alvarez, how are you feeling?": the clinician turns (back) to the patient by name. */
const CALLS_BY_NAME = /^((hi|hello|good (morning|afternoon|evening)|and|so|okay|now)[ ,]+)?(mr|mrs|ms|miss|mister)\.? [a-z]+[,!?]/;

/**
 * Whether the clinician's words are addressed to someone other than the patient: positive when
 * asking about the patient in the third person or turning to the person with them, negative when
 * calling the patient by name, 0 when nothing says.
 */
export function addressesThirdVoice(text: string): number {
  const line = normalise(text);
  let score = 0;
  if (ASKS_WHO.test(line)) score += 2;
  if (ASKS_ABOUT.test(line)) score += 1;
  if (INTRODUCTION.test(line)) score += 1;
  if (CALLS_BY_NAME.test(line)) score -= 4;
  return score;
}

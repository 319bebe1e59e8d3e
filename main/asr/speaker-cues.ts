/**
 * Words that tell a clinician from a patient in an outpatient conversation, as a signed score:
 * positive leans clinician, negative leans patient. Clinicians ask, examine, explain and plan
 * ("how long has that been going on", "let's", "I'm going to order", "your blood pressure");
 * patients report and answer ("I've been", "it hurts", "my knee", "yeah", "doctor"). The weights
 * are hand-set and were checked on ACI-Bench's train split (see speaker-labeller.ts for the figures).
 */

interface Cue {
  readonly pattern: RegExp;
  readonly weight: number;
}

const cues = (weight: number, ...patterns: RegExp[]): Cue[] => patterns.map((pattern) => ({ pattern, weight }));

const CUES: readonly Cue[] = [
  // Asking: history taking.
  ...cues(
    1.2,
    /\b(how long|how often|how much|how many|how bad|how severe|how is|how are|how's|how have|when did|when was|where is|where does|what brings|what kind|what type|what medications?|what happened|which)\b.*\?/,
    /^(do|does|did|are|is|have|has|had|any|can|could|would|were|was) (you|your|it|they|there|the|anything|anyone)\b.*\?/,
    /\b(any|ever) (fever|chills|pain|nausea|vomiting|shortness|chest|history|allergies|changes|problems|questions)\b/,
    /\bon a scale of\b/,
  ),
  ...cues(0.9, /\?\s*$/),
  // Examining, explaining, planning.
  ...cues(
    1.4,
    /\b(i'm going to|i am going to|i'm gonna|i'd like to|i would like to|i want you to|i want to get|i'll order|i'll prescribe|i'll send|i'll refer|let's|let me|we'll|we will|we're going to|we are going to|we can|i recommend|i'd recommend|i would recommend|i suggest)\b/,
    /\b(take a deep breath|breathe in|look up|squeeze my|push against|lie back|follow my finger|say ah|open your mouth)\b/,
    /\b(on (physical )?exam(ination)?|your (blood pressure|heart rate|labs?|results|x-?ray|mri|ct|ekg|a1c|hemoglobin|lungs|exam|vitals|weight|cholesterol|oxygen|potassium|kidney function)|the (results|x-?ray|mri|ct scan|ekg|ultrasound|labs?) (show|showed|shows|came back|look))\b/,
    /\b(prescribe|prescription|refill|dose|dosage|milligrams?|mg|twice a day|once a day|three times a day|as needed|referral|refer you|follow[- ]up|come back in|see you back|schedule|diagnosis|differential|assessment|plan is|impression)\b/,
    /\b(any (other )?questions|does that sound (good|okay|ok)|does that make sense|sound good|sounds like you|it sounds like|that's (good|great) to hear|nice to meet you|what can i do for you|how can i help)\b/,
  ),
  // Acknowledging and moving on (clinicians steer the visit), and dictation to the note.
  ...cues(
    0.8,
    /^(okay|ok|alright|all right|great|perfect|wonderful|excellent|good|very good|fantastic|awesome)\b[ ,.!]*((okay|ok|alright|all right|great|good|so|and|um|uh)\b[ ,.!]*){0,3}$/,
  ),
  ...cues(1.5, /\b(hey,? dragon|finalize the note|end of (note|dictation)|new paragraph|next (paragraph|section)|period\.? new line)\b/),
  // Reporting symptoms and history in the first person.
  ...cues(
    -1.3,
    /\b(i've been|i have been|i've had|i have had|i had|i feel|i felt|i'm feeling|i've noticed|i noticed|i started|i get|i got|i can't|i cannot|i couldn't|i was|i went|i take|i'm taking|i took|i tried|i think it|i don't know|i do n't know|i'm not sure|i guess|i wake up|i woke up|i've never|i never|i used to|i work|i live)\b/,
    /\b(it hurts|it's been|it started|it gets|it got|it was|hurts when|it's like|kind of like|sort of like)\b/,
    /\bmy (back|knee|knees|hip|shoulder|neck|head|chest|stomach|leg|legs|arm|foot|feet|hand|hands|wife|husband|mom|mother|dad|father|son|daughter|kids|doctor|pain|sugar|sugars|blood|heart|medication|medications|meds|job|work|insurance|pharmacy|symptoms|throat|ear|eyes|skin)\b/,
    /\b(doctor|doc|dr)\b[ ,.?!]*$/,
  ),
  // Answering.
  ...cues(
    -1.0,
    /^(yes|yeah|yep|yup|no|nope|nah|mm-?hmm|uh-?huh|uh-?uh|sure|correct|right|not really|i do|i don't|i did|i didn't|i have|i haven't|i am|i'm not|a little|sometimes|maybe|probably|once|twice|never|always)\b[ ,.!]*(\w+\b[ ,.!]*){0,4}$/,
  ),
  ...cues(-0.5, /\b(thank you|thanks)\b/),
  ...cues(
    -1.0,
    /^((okay|ok|yeah|yes|alright|all right|um|uh|oh)[ ,.!]+)*((that|it) (sounds|would be|'?s) (good|great|fine|correct|right|perfect)\b|(sounds good|that's fine|that's correct|absolutely|definitely|of course|not at (all|this point)|not that i know of|i think so|i don't think so)\b)/,
  ),
];

/** The cue score of one piece of speech: positive leans clinician, negative leans patient. */
export function cueScore(text: string): number {
  const line = text
    .toLowerCase()
    .replace(/[’‘]/g, "'")
    .replace(/\s+([?.!,])/g, '$1')
    .replace(/\s+/g, ' ')
    .trim();
  if (line === '') return 0;
  let score = 0;
  for (const cue of CUES) if (cue.pattern.test(line)) score += cue.weight;
  // Talking about "you" rather than "I": clinicians address the patient, patients talk about themselves.
  const second = (line.match(/\b(you|your|you're|you've|yourself)\b/g) ?? []).length;
  const first = (line.match(/\b(i|me|my|i'm|i've|i'd|i'll|myself)\b/g) ?? []).length;
  score += Math.max(-1.5, Math.min(1.5, 0.3 * (second - first)));
  return score;
}

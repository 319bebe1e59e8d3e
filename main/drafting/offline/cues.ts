import { BODY_PARTS, CONDITIONS, SYMPTOMS, isClinicalWord } from './lexicon.js';

/**
 * Cue phrases that tell where in a visit we are and what a sentence is for. Visits follow a common
 * arc — history, examination, results, assessment and plan — and clinicians announce the turns
 * ("let's do a quick exam", "so for your first problem").
 */
export type Phase = 'history' | 'exam' | 'plan';

export const EXAM_START =
  /\b(?:physical exam(?:ination)?|(?:do|go ahead and do|perform) (?:a |an |your )?(?:quick |brief )?(?:exam|examination)|examine you|take a (?:quick )?(?:look|listen)|listen to your (?:heart|lungs|chest)|on (?:your |my )?(?:physical )?exam(?:ination)?|on examination|check you out|let me (?:take a look|look at|listen|feel|examine|check|press|see)|have you (?:lie|sit|stand)|your exam)\b/;

/** The clinician announcing the assessment and plan. */
export const PLAN_START =
  /^plan\s*:|\bunder (?:the )?(?:assessment|plan)\b|\b(?:assessment|my impression|impression is|diagnosis is|(?:for|regarding|with regards? to|in terms of|as far as|as for) (?:your |the )?(?:first|second|third|next|last|other)? ?(?:problem|issue)|let's talk about (?:the |a |my )?(?:plan|what|treatment)|talk about (?:my |the |your )?(?:assessment|plan|treatment)|(?:my|the|our) plan (?:is|would be|for you)|from an? [a-z ]{3,40} (?:standpoint|perspective))\b/;

/** Weaker signs of the assessment and plan, used when the clinician never announces it. */
export const PLAN_HINT =
  /\b(?:so (?:what )?i (?:think|want to do|would like to do|recommend)|what i(?:'d| would)? (?:like to|want to|recommend|think)|i(?:'m| am) (?:concerned|worried) (?:about|that)|it (?:sounds|looks|seems) like you (?:have|may have|might have|probably have|'ve got)|i think you (?:have|may have|might have|probably have|'ve got)|i think (?:this|it|that)(?:'s| is)|i want you to|we(?:'ll| will) (?:follow up|start|get|order|see you)|follow up in|i(?:'m| am) going to (?:order|prescribe|start|refer|put|print|give|send)|i(?:'ll| will) (?:order|prescribe|start|refer|send)|i gave you|i(?:'ve| have) prescribed)\b/;

export const VOICE_COMMAND = /^(?:hey,? )?(?:dragon|dax|computer|siri|alexa)\b|\b(?:hey,? )(?:dragon|dax)\b/;

export const FINDING =
  /\b(?:normal|red|exudates?|inflamed|injected|enlarged|abnormal|clear|tender(?:ness)?|non-?tender|swelling|swollen|edema|murmurs?|gallops?|rubs?|crackles|rales|rhonchi|wheez\w*|effusion|erythema|erythematous|bruis\w*|ecchymosis|rash|lesions?|range of motion|strength|reflex(?:es)?|pulses?|sensation|intact|soft|distended|distention|regular|irregular|positive|negative|appreciate|palpation|palpable|lymphadenopathy|supple|warm|redness|deformity|laxity|stable|unremarkable|benign|atraumatic|symmetric|diminished|decreased|increased|mild|moderate|severe|bilateral(?:ly)?|pitting|spasm|sign|test)\b/;

export const RESULT =
  /\b(?:x-?rays?|mri|ct|cat scan|ultrasound|echocardiogram|echo|ekg|ecg|labs?|lab work|blood work|bloodwork|a1c|hemoglobin|results?|glucose|urinalysis|urine|culture|biopsy|scan|imaging|cholesterol|ldl|creatinine|kidney function|thyroid|tsh|psa|white (?:blood )?count|ejection fraction|stress test|mammogram|colonoscopy)\b/;

export const RESULT_VERB =
  /\b(?:shows?|showed|shown|demonstrat\w*|reveal\w*|came back|looks?|looked|was|were|is|are|normal|elevated|high|low|negative|positive|within|unremarkable|consistent)\b/;

/** The clinician guiding the patient through the exam rather than reporting a finding. */
export const EXAM_INSTRUCTION =
  /^(?:take (?:a )?(?:deep )?breaths?|breathe|lie|lay|sit|stand|look|follow my|squeeze|push|pull|relax|bend|turn|open|say|tell me|let me|i(?:'m| am) going to (?:press|push|listen|look|check|examine|feel|take|have you|move|bend|pull)|i(?:'ll| will) (?:press|push|listen|look|check|feel)|can you|could you|does (?:it|this|that)|do you feel|how about|is (?:this|that|it)|any pain|we(?:'re| are) going to)\b/;

export const ASSESSMENT_CUE =
  /\b(?:i think|i believe|i suspect|i(?:'m| am) (?:concerned|worried)|concern(?:ed)? (?:about|for|that)|likely|most likely|probably|consistent with|sounds like|looks like|seems like|appears|diagnos\w*|impression|suggestive|indicat\w*|due to|because of|caused by|well controlled|under control|uncontrolled|stable|improv\w*|worsen\w*)\b/;

export const PLAN_CUE =
  /\b(?:going to|will|want to|would like to|'d like to|let's|we'll|i'll|plan|start|prescribe|order|refer|referral|increase|decrease|continue|stop|discontinue|schedule|recheck|check|send|get|obtain|repeat|adjust|change|switch|add|give|recommend|follow up|follow-up|come back|see you|return)\b/;

export const INSTRUCTION_CUE =
  /^(?:i (?:want|need|would like|'d like) you to|you (?:should|need to|have to|can|could|may|must|will need to|want to)|make sure|be sure to|remember to|try to|try and|please|keep|avoid|don't|do not|call|let me know|come back if|go to the (?:er|emergency)|if you|continue to|stay|drink|rest|ice|elevate|take)\b/;

export const FOLLOW_UP = /\b(?:follow(?:-| )?up|see you (?:back )?in|come back in|return in|recheck in|back in|see you again)\b/;

const TOKEN = /[a-z0-9'-]+/g;

/** How much of a sentence a note would keep: clinical words, numbers with units, drug names. */
export function clinicalWeight(text: string): number {
  let weight = 0;
  for (const token of text.match(TOKEN) ?? []) {
    if (isClinicalWord(token)) weight += 1;
  }
  if (/\d/.test(text)) weight += 1;
  return weight;
}

export function hasSymptom(text: string): boolean {
  return (text.match(TOKEN) ?? []).some((t) => SYMPTOMS.has(t) || CONDITIONS.has(t));
}

export function hasBodyPart(text: string): boolean {
  return (text.match(TOKEN) ?? []).some((t) => BODY_PARTS.has(t));
}

/**
 * The clinical register every drafted sentence ends in (issue 16): third person, no fillers, no talk
 * about the visit, no half sentences. Works on lower-case text after the speech rewrites (rewrite.ts,
 * person.ts) and before finish() (style.ts). The clinician's own voice is rewritten where a note has a
 * plain equivalent ("I want to increase her lisinopril" → "increase her lisinopril", "I think it is
 * out of control" → "it is likely out of control"); what still speaks as "I", "we" or "you" after
 * that is not written. Every rewrite only removes or reorders words and adds "likely", "should" or
 * "will": doses, frequencies, sides and negations stay as said.
 */

/** Openings that carry no content of their own: "I know that", "it sounds like", "I'm glad to see that". */
const EMPTY_OPENING =
  /^(?:(?:so|and|but|now|also|well|again|then|yes|no|okay|alright|right|um|uh)[, ]+)*(?:go ahead(?: and)?,?|see,|i (?:also |do |can )?(?:know|see|saw|understand|noticed|notice|remember|heard|hear|agree)(?: (?:here|that|in (?:the|her|his|their) (?:chart|notes?|records?)))*|i(?:'m| am) (?:(?:really|so|very) )?(?:glad|happy|pleased|excited|encouraged)(?: (?:to (?:see|hear)|about))?(?: that)?|it (?:sounds|looks|seems|appears) like(?: that)?|(?:it )?(?:sounds|looks|seems) like(?: that)?|i(?:'m| am) (?:looking|reviewing) (?:at|through) (?:[a-z]+ ){0,3}(?:and )?(?:it (?:looks|seems) like )?|i (?:just )?want to (?:mention|say|point out|let (?:her|him|them) know)(?: that)?|as i (?:said|mentioned)|like i said)[, ]+/;

/** The clinician's intent in the plan, said as the note says it: "I'm going to order" → "order". */
const INTENT =
  /(?<=^|, |\band |\bthen |\balso |\bso )(?:i|we)(?:'m| am|'re| are)? (?:also |just |really |definitely |probably |still |do |did )*(?:(?:going to|gonna|want to|would like to|'d like to|need to|have to|can|should|will|'ll|plan to|like to)),? (?:also |just |then |first )*(?:go ahead(?: and)?,? |go on and |try and |try to )?|(?<=^|, |\band |\bthen |\bso )(?:let's|let us) (?:also |just )?(?:go ahead(?: and)?,? )?|^what i(?:'d| would)? (?:like|want) to do is(?: to)?[, ]*|(?<=^|, |\band |\bthen |\balso |\bso )(?:i|we)(?:'ll| will) (?:also |just )*(?:go ahead(?: and)?,? )?/g;

/** Narration of what the clinician is about to do in the room: "look at some of the results". */
const NARRATION =
  /^(?:look(?:ing)? at|take a (?:quick )?(?:look|listen)|go over|check out|listen to|examine|feel (?:around|your|the)|press on|focus on|talk about|start by looking)\b/;

/** "I think it's out of control": the clinician's judgement, kept as "likely". */
const HEDGE =
  /^(?:i (?:do |really |still |also )*(?:think|believe|suspect|feel like|would say|guess|bet)|i(?:'m| am) (?:pretty )?(?:sure|confident)) (?:that )?/;
/** "I don't think she needs an X-ray": a need ruled out. */
const NO_NEED =
  /^i (?:don't|do not) (?:think|feel|believe) (?:that )?(?:there is |there's )?(?:(?:she|he|they|we) )?(?:needs?|the need)(?: (?:for|to))? /;
/** "I'd like to see her take the lisinopril": an expectation. */
const EXPECTATION = /^i(?:'d| would) like (?:to see )?(she|he|they) (?:to )?(?=[a-z])/;
const WANT_PATIENT = /^i (?:want|need|would like|'d like) (her|him|them) to /;

const FILLERS = /(?:^|,?\s+)(?:okay|alright|all right|yeah|yep|you know|i mean|mm-hmm|uh-huh)(?=[,.]|\s|$),?/g;

/** Hedges of speech that a note leaves out; none of them is a fact ("not really" stays). */
const SPOKEN_HEDGES: readonly (readonly [RegExp, string])[] = [
  [/(?<!\bnot) \b(?:just|really|actually|basically|definitely|certainly|literally|pretty much)\b(?= )/g, ''],
  [/(?<!\b(?:what|this|that|any|some|the|a|which|one|same|different|other)) \b(?:kind|sort) of\b(?= )/g, ''],
  [
    /\b(?<=(?:it's|is|was|are|were|and|or|but|about)) like\b,?(?= (?:a|an|the|some|\d|this|that|very|more|less|right|left|in|on|at|after|before|when|every))/g,
    '',
  ],
  [/\ba little bit(?: of)?\b/g, 'a little'],
];

/** Words a sentence cannot end on: what follows them was not said. */
const DANGLING =
  /\s+(?:and|or|but|so|because|with|to|of|for|the|a|an|that|which|who|if|as|is|are|was|were|be|we|i|we'll|i'll|we're|i'm|you|your|my|our|their|his|her|he|she|they|some|any|this|these|those|than|then|at|in|on|by|from|into|just|like|really|very|about|kind|sort|since|when|where|how|what|until|while|also|not|can|could|would|should|will|do|does|did|have|has|had|going|get|it's|there's)[.,]?$/;

/** Still the voice of someone in the room: first or second person, or talk about the visit itself. */
const SPOKEN =
  /\b(?:i|i'm|i've|i'll|i'd|me|my|mine|myself|we|we're|we've|we'll|we'd|us|our|ours|ourselves|you|you're|you've|you'll|you'd|your|yours|yourself|y'all|let's|let me)\b|\b(?:go ahead|talk about|talk a little|talked about|recording|dictat\w*|finalize the note|any questions|thank you|thanks|nice to (?:meet|see)|good to see|see you|hello|have a seat|bye|take care|dragon|gonna|wanna|kinda|sorta|okay|yeah)\b|\?$/;

const BE_OR_HAVE = /\b(?:is|are|was|were|has|have|had|will|would|may|might|can|could|should)\b/;

/** "it is out of control" → "it is likely out of control"; "she has pneumonia" → "she likely has pneumonia". */
function likely(text: string): string | undefined {
  const m = BE_OR_HAVE.exec(text);
  if (!m || text.slice(0, m.index).split(' ').length > 5) return undefined;
  const at = m.index;
  if (/^(?:has|have|had)$/.test(m[0])) return `${text.slice(0, at)}likely ${text.slice(at)}`;
  return `${text.slice(0, at + m[0].length)} likely${text.slice(at + m[0].length)}`;
}

/** Contractions the rewrites meet after a pronoun has become a name or a third person. */
function expand(text: string): string {
  return text
    .replace(/\bit's\b/g, 'it is')
    .replace(/\bthat's\b/g, 'that is')
    .replace(/\bthere's\b/g, 'there is')
    .replace(/\bdoesn't\b/g, 'does not')
    .replace(/\bdon't\b/g, 'do not')
    .replace(/\bisn't\b/g, 'is not')
    .replace(/\bwasn't\b/g, 'was not')
    .replace(/\baren't\b/g, 'are not')
    .replace(/\bcan't\b/g, 'cannot')
    .replace(/\bwon't\b/g, 'will not')
    .replace(/\bhasn't\b/g, 'has not')
    .replace(/\bhaven't\b/g, 'have not')
    .replace(/\bdidn't\b/g, 'did not');
}

/** The clinician's own perception and review, left out: "I do appreciate a murmur" → "a murmur". */
const PERCEPTION: readonly (readonly [RegExp, string])[] = [
  [/\bi (?:don't|do not|didn't|did not|can't|cannot) (?:really )?(?:appreciate|hear|see|feel|note|notice|palpate)\s+(?:any\s+)?/g, 'no '],
  [
    /\bi (?:do |can |could |also |did |however |still |definitely |really )*(?:appreciate|hear|heard|note|noted|notice|noticed|palpate|palpated)\s+(?:that\s+)?/g,
    '',
  ],
  [
    /\b(?:i|we) (?:was |were )?(?:able to )?(?:did |have |also )*(?:review(?:ed)?|look(?:ed)? at|went over|got back)\s+(?:the results of\s+)?/g,
    '',
  ],
  [/\b(?:i|we) (?:would |'d )?(?:also )?(?:recommend|suggest|advise)(?: that)?(?: (?:we|you))?\s+/g, 'recommend '],
  [/\bi'd recommend(?: that)?(?: (?:we|you))?\s+/g, 'recommend '],
  [/\brecommend (?:that )?(?:we|you) (?=[a-z])/g, ''],
  [/\b(?:we|i)(?:'ve| have)(?: got)? (him|her|them) on\b/g, '$1 on'],
  [/\b(?:we|i) (?:started|put) (him|her|them) (?:on|back on)\b/g, '$1 started on'],
  [
    /\b(?:i|we)(?:'ll| will| want to| would like to|'d like to| need to)? see (?:him|her|them|you) (?:back )?(?:again )?(?=in\b|for\b)/g,
    'follow up ',
  ],
  [/\bi (?:want|need|would like|'d like) (her|him|them) to (?:go ahead and )?/g, '$1 should '],
  // What the clinician did or said in the visit, written as notes do, without the subject: "Discussed …".
  [
    /(?<=^|, |\band )(?:i|we) (?:also )?(?:have )?(explained|discussed|reviewed|advised|counseled|encouraged|informed|instructed|ordered|prescribed|recommended|gave|sent|referred|provided|talked about)\b/g,
    '$1',
  ],
  [
    /(?<=^|, |\band )(?:i|we)(?:'m| am| are|'re) not (?:too |that |very |overly )?(?:worried|concerned) (?:about|for)\b/g,
    'not concerned about',
  ],
  [
    /(?<=^|, |\band )(?:we|i) (?:were able to |did |also )*(?:get|got|obtain|obtained|do|did|had|ran|run)(?: done)? (?=(?:a |an |the |some )?(?:x-?rays?|labs?|blood work|bloodwork|mri|ct|ultrasound|ekg|echo\w*|urinalysis|a1c|culture|biopsy|scan|tests?|panel)\b)/g,
    '',
  ],
];

/** After the rewrites above: "him on" at the start of a statement is "he is on". */
const OBJECT_AS_SUBJECT: Readonly<Record<string, string>> = { him: 'he', her: 'she', them: 'they' };
function subjectOf(text: string): string {
  return text
    .replace(/^talked about\b/, 'discussed')
    .replace(/^(him|her|them) on\b/, (_m, o: string) => `${OBJECT_AS_SUBJECT[o]} ${o === 'them' ? 'are' : 'is'} on`)
    .replace(/^(him|her|them) started on\b/, (_m, o: string) => `${OBJECT_AS_SUBJECT[o]} ${o === 'them' ? 'were' : 'was'} started on`)
    .replace(/^(him|her|them) should\b/, (_m, o: string) => `${OBJECT_AS_SUBJECT[o]} should`)
    .replace(/\b(him|her|them) should\b/g, (_m, o: string) => `${OBJECT_AS_SUBJECT[o]} should`);
}

/**
 * A drafted sentence (lower case, not yet finished) in the clinical register, or undefined when it
 * cannot be written without speech. A long run of speech keeps the clauses that can be, in order.
 */
export function inClinicalRegister(sentence: string): string | undefined {
  const whole = clauseInRegister(sentence);
  if (whole !== undefined) return whole;
  const clauses = sentence
    // At clause boundaries only, never inside a list: "no fever, chills or cough" stays whole.
    .split(
      /(?:,|;|\s+(?:and|but|so|because|though|although))\s+(?=(?:and |but |so )?(?:i|i'm|i'll|i've|we|we'll|we're|you|you're|let's|let|it|it's|that|that's|this|there|he|she|they|then|which|because)\b)|\s+(?=what i(?:'d| would)? (?:like|want) to do\b)|\s+(?=(?:and |so )?(?:on|for|in) (?:the |his |her |their |your )?(?:[a-z]+ ){0,2}exam(?:ination)?\b)|\s+(?=otherwise\b)|\s+(?=(?:i|i'm|i'll|i've|we|we're|we'll|let's|let me)\s)/,
    )
    .map((c) => clauseInRegister(c))
    .filter((c): c is string => c !== undefined && c.split(' ').length >= 3);
  return clauses.length > 0 ? clauses.join(', ') : undefined;
}

function clauseInRegister(sentence: string): string | undefined {
  let s = sentence.trim();
  s = (s.charAt(0).toLowerCase() + s.slice(1))
    .replace(/\b(i|we)'d\b/g, '$1 would')
    .replace(/\b(i|we)'ll\b/g, '$1 will')
    .replace(/\bi'm\b/g, 'i am')
    .replace(/\bwe're\b/g, 'we are')
    .replace(/-+$/, '')
    .replace(FILLERS, '')
    .replace(/^[,\s]+/, '');
  for (let previous = ''; previous !== s;) {
    previous = s;
    s = s.replace(EMPTY_OPENING, '');
  }
  const noNeed = NO_NEED.exec(s);
  if (noNeed)
    s = `no need ${/(?:for|to) $/.test(noNeed[0]) ? noNeed[0].match(/(for|to) $/)![1] + ' ' : 'for '}${s.slice(noNeed[0].length)}`;
  const hedge = HEDGE.exec(s);
  if (hedge) {
    const judged = likely(expand(s.slice(hedge[0].length)));
    if (!judged) return undefined;
    s = judged;
  }
  const expectation = EXPECTATION.exec(s) ?? WANT_PATIENT.exec(s);
  if (expectation) s = `${expectation[1]} should ${s.slice(expectation[0].length)}`;
  for (const [pattern, replacement] of [...PERCEPTION, ...SPOKEN_HEDGES]) s = s.replace(pattern, replacement);
  s = subjectOf(s.replace(INTENT, '').replace(/\s+/g, ' ').trim());
  for (let previous = ''; previous !== s;) {
    previous = s;
    // "…paraspinal area right where I'm pressing" cut at "I'm": that "right" is not a side.
    s = s
      .replace(/[,;:\s]+$/, '')
      .replace(DANGLING, '')
      .replace(/(?<!\b(?:the|on|to|her|his|their|your|of|in))\s+right$/, '');
  }
  if (
    s === '' ||
    SPOKEN.test(s) ||
    NARRATION.test(s) ||
    /^(?:because|'|which|that)\b/.test(s) ||
    (/^(?:if|unless|when)\b/.test(s) && !/, [a-z]+ [a-z]+/.test(s))
  )
    return undefined;
  return s;
}

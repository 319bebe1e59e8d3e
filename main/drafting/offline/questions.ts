import type { SectionId } from '../../../shared/domain/note.js';
import { hasBodyPart, hasSymptom } from './cues.js';
import type { Pronouns } from './person.js';
import { secondToThird } from './person.js';
import { stripLeading, wordCount } from './style.js';

/**
 * A clinician's question and the patient's short answer make one note sentence together:
 * "any fever or chills?" + "no" → "Denies fever or chills."; "how long has this been going on?"
 * + "about 5 weeks" → "This has been going on for about 5 weeks."
 */
export interface QaSentence {
  readonly section: SectionId;
  readonly text: string;
}

const NO =
  /^(?:no|nope|nah|not really|never|none|negative|not that i(?:'ve)? (?:know|noticed)|not at all|i don't(?: think so)?|i haven't|i have not|i didn't|i did not|i do not|i'm not|nothing)\b/;
const YES =
  /^(?:yes|yeah|yep|yup|uh-huh|i do|i have|i did|i am|i'm|a little|a bit|some|sometimes|definitely|correct|right|sure|kind of|sort of|occasionally|mostly|absolutely)\b/;

const SYMPTOM_QUESTION =
  /(?:^|\b)(?:do you (?:have|get|feel|notice|experience)|have you (?:had|noticed|been having|experienced|felt|been feeling|had any|ever had)|are you (?:having|experiencing|feeling|getting|noticing)|did you (?:have|notice|get|feel|experience)|is there|any(?: other)?|how about|what about)\s+(?:any\s+)?(.+)$/;
/** "so no issues, no feelings of wanting to harm yourself?" */
const NEGATIVE_QUESTION = /(?:^|,\s*)no\s+(?!,)(.+)$/;
const DURATION_QUESTION =
  /\bhow long\b|\bwhen did (?:this|that|it|the \w+|these|those|all this|you first) (?:\w+ )?(?:start|begin|happen|notice)|\bwhen did you (?:first )?(?:notice|start)/;
const SEVERITY_QUESTION = /\bscale\b|\bout of 10\b|\bhow (?:bad|severe|intense)\b|\brate (?:your|the) pain\b/;
const AUX_QUESTION = /^(?:so |and |okay |now )*(are|were|do|did|have|has|can|could|will|is) you\s+(.+)$/;

function cleanTopic(topic: string, p: Pronouns): string {
  return secondToThird(stripLeading(topic), p)
    .replace(/^(?:other\s+)?(?:symptoms?|problems?|issues?|things?)(?:\s+(?:like|such as|of|with))?[,:]?\s+/, '')
    .replace(/\b(?:any|some)\s+/g, '')
    .replace(/^no\s+/, '')
    .replace(/,\s+no\s+/g, ' or ')
    .replace(/,\s*(?=,|$)/g, '')
    .replace(/,\s+(?:or|and)\s+/g, ' or ')
    .replace(/[?.,]+$/, '')
    .replace(
      /\b(?:at all|lately|recently|or anything(?: like that)?|anything like that|or anything else|that you know of|right now|today|since then)\b/g,
      '',
    )
    .replace(/\bshort of breath\b/g, 'shortness of breath')
    .replace(/[\s,]+$/, '')
    .replace(/\s+/g, ' ')
    .trim();
}

function polarity(answer: string): 'yes' | 'no' | undefined {
  const a = stripLeading(answer.replace(/^(?:um|uh|oh|well|so)[, ]+/, ''));
  const b = answer.trim();
  if (NO.test(b) || NO.test(a)) return 'no';
  if (YES.test(b) || YES.test(a)) return 'yes';
  return undefined;
}

/** "are you taking your medications" + yes → "She is taking her medications." */
function statementFromQuestion(question: string, yes: boolean, p: Pronouns): string | undefined {
  const m = AUX_QUESTION.exec(question.replace(/[?]+$/, ''));
  if (!m) return undefined;
  // The capture group only admits these words.
  const aux = m[1] as 'are' | 'were' | 'do' | 'did' | 'have' | 'has' | 'can' | 'could' | 'will' | 'is';
  const body = secondToThird(m[2]!, p);
  const s = p.subject;
  const sing = !p.plural;
  switch (aux) {
    case 'are':
    case 'is':
      return `${s} ${sing ? 'is' : 'are'}${yes ? '' : ' not'} ${body}`;
    case 'were':
      return `${s} ${sing ? 'was' : 'were'}${yes ? '' : ' not'} ${body}`;
    case 'have':
    case 'has':
      return `${s} ${sing ? 'has' : 'have'}${yes ? '' : ' not'} ${body}`;
    case 'do':
      return yes ? undefined : `${s} ${sing ? 'does' : 'do'} not ${body}`;
    case 'did':
      return `${s} did${yes ? '' : ' not'} ${body}`;
    case 'can':
    case 'could':
    case 'will':
      return `${s} ${aux}${yes ? '' : ' not'} ${body}`;
  }
}

/** The topic of a symptom question ("any chest pain?" → "chest pain"), when it names a symptom. */
export function symptomTopic(question: string, p: Pronouns): string | undefined {
  const q = question.replace(/[?]+$/, '').trim();
  const m = SYMPTOM_QUESTION.exec(q) ?? NEGATIVE_QUESTION.exec(q);
  const topic = m ? cleanTopic(m[1]!, p) : undefined;
  if (!topic || wordCount(topic) > 14) return undefined;
  return hasSymptom(topic) || hasBodyPart(topic) ? topic : undefined;
}

/**
 * Reads the answer against the question. Returns what to write and whether the answer's first
 * sentence was used up (a bare "no" says nothing more on its own).
 */
export function answerQuestion(question: string, answer: string, p: Pronouns): { sentences: QaSentence[]; consumed: boolean } {
  const short = wordCount(answer) <= 4;
  const said = polarity(answer);
  if (/\ballerg/.test(question) && said === 'no' && !/\ballergic to\b/.test(answer)) {
    return { sentences: [{ section: 'allergies', text: 'No known drug allergies.' }], consumed: short };
  }
  const topic = symptomTopic(question, p);
  if (topic && said === 'no') return { sentences: [{ section: 'ros', text: `Denies ${topic}.` }], consumed: short };
  if (topic && said === 'yes') return { sentences: [{ section: 'hpi', text: `Reports ${topic}.` }], consumed: short };

  if (
    DURATION_QUESTION.test(question) &&
    wordCount(answer) <= 14 &&
    /\d|\bsince\b|\bago\b|\blast\b|\byesterday\b|\bweek|\bmonth|\byear|\bday/.test(answer)
  ) {
    const when = stripLeading(answer).replace(/^(?:it's been|it has been|it was|probably|maybe|about|i think|i'd say|oh)\s+/, (x) =>
      x.startsWith('about') ? x : '',
    );
    const text = /\bago\b|\bsince\b|\byesterday\b|\blast\b/.test(when)
      ? `This started ${when}`
      : `This has been going on for ${when.replace(/^for\s+/, '')}`;
    return { sentences: [{ section: 'hpi', text }], consumed: true };
  }
  if (SEVERITY_QUESTION.test(question)) {
    // The score as said ("7.5"); "/10" only when a scale of 10 was said, not assumed.
    const n = /\b(\d{1,2}(?:\.\d+)?)(?:\/10)?(?![\d.]*\d)/.exec(answer);
    const outOf10 = /\b10\b|\/10\b/.test(`${question} ${answer}`);
    if (n && Number(n[1]) <= 10) {
      return { sentences: [{ section: 'hpi', text: `Rates the pain ${n[1]}${outOf10 ? '/10' : ''}.` }], consumed: short };
    }
  }
  if (said && short && !/\bquestions?\b|\bsound (?:good|okay|like a plan)\b|\bmake sense\b|\bokay\b/.test(question)) {
    const statement = statementFromQuestion(question, said === 'yes', p);
    if (statement && wordCount(statement) <= 18) return { sentences: [{ section: 'hpi', text: statement }], consumed: true };
  }
  return { sentences: [], consumed: said !== undefined && short };
}

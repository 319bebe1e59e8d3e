import type { Pronouns } from './person.js';
import { firstToThird, secondToThird } from './person.js';
import { hasBodyPart, hasSymptom } from './cues.js';
import { isClinicalWord } from './lexicon.js';
import { stripLeading, wordCount } from './style.js';

/**
 * Sentence rewrites from speech to note style. Each takes normalised lower-case text and returns
 * the note's wording (finish() in style.ts capitalises and punctuates).
 */

/** "no fever", "I don't have any chills"; not "no, I sleep like a rock", where "no" answers and what follows is said. */
const DENIAL =
  /^(?:no(?![, ]+(?:i|i'm|i've|it|it's|we|he|she|they|you|that|this)\b)|i (?:don't|do not|haven't|have not|didn't|did not)(?: really)? (?:have|had|get|got|notice|noticed|feel|felt|experience|experienced|been having)|i have no|i've had no|i've not had|there's no|not having|never had)\s+(?:any\s+)?(?:more\s+)?(.+)$/;
const REPORT =
  /^i(?:'ve| have)?(?: also| still| just| really)? (?:been )?(?:having|had|have|got|gotten|getting|experiencing|experienced|noticed|noticing|developed|developing)\s+(?:a |an |some |this |these |that |the |like )*(.+)$/;
const FEELING = /^i(?:'ve been| have been|'m| am)?(?: just| still| also| really)? (?:feel|feeling)\s+(.+)$/;

/** The patient's own words about themselves, in note style: "I've had a cough for 3 days" → "Reports cough for 3 days". */
export function rewritePatient(sentence: string, p: Pronouns): { text: string; negative: boolean } {
  const s = stripLeading(sentence);
  const denial = DENIAL.exec(s);
  if (denial && hasSymptom(denial[1]!)) return { text: `Denies ${firstToThird(denial[1]!, p)}`, negative: true };
  const report = REPORT.exec(s);
  if (report && (hasSymptom(report[1]!) || hasBodyPart(report[1]!)) && !/^to\b/.test(report[1]!)) {
    return { text: `Reports ${firstToThird(report[1]!, p)}`, negative: false };
  }
  const feeling = FEELING.exec(s);
  if (feeling) return { text: `Reports feeling ${firstToThird(feeling[1]!, p)}`, negative: false };
  return { text: firstToThird(s, p), negative: false };
}

/** The clinician talking about the patient's history to them: "you have a history of X" → "She has a history of X". */
export function rewriteClinicianHistory(sentence: string, p: Pronouns): string {
  const s = stripLeading(sentence).replace(
    /^(?:i see (?:here )?(?:that )?|i know (?:that )?|i understand (?:that )?|it looks like (?:that )?|i(?:'m| am) looking (?:through|at) your (?:chart|records?)(?: and)?(?: it looks like)?(?: that)?\s*|according to (?:your|the) (?:chart|records?),?\s*|i was reviewing your (?:chart|records?)(?: and)?\s*)/,
    '',
  );
  return secondToThird(s, p);
}

/** Exam narration: "on your heart exam, I do appreciate a 3/6 murmur" → "on heart exam, 3/6 murmur". */
export function rewriteExam(sentence: string, p: Pronouns): string {
  let s = stripLeading(sentence)
    .replace(/^(?:on|in) (?:your|the) (?:physical )?exam(?:ination)?,?\s*/, '')
    .replace(
      /^(?:i(?:'m| am) (?:just )?going to |let me |let's |i'll )?(?:listen to|take a (?:quick )?(?:look|listen)(?: at)?|look at|check|examine|feel)\s+(?:your|the)\s+/,
      '',
    )
    .replace(/^(?:if you can |can you )?take (?:a )?(?:deep )?breaths?\s*/, '')
    .replace(/\bi (?:do |can |could )?(?:appreciate|hear|see|feel|note|notice)\s+(?:that\s+)?/g, '')
    .replace(/\bi (?:don't|do not|can't|cannot) (?:appreciate|hear|see|feel|note|notice)\s+(?:any\s+)?/g, 'no ')
    .replace(/\bthere (?:is|are)\s+/g, '')
    .replace(/\b(?:it )?(?:looks|seems) like\s+/g, '')
    .replace(/\byour\b/g, 'the');
  s = secondToThird(s, p);
  return s.replace(/^(?:the|his|her|their)\s+/, '');
}

/** Results the clinician reads out: "looking at your chest x-ray, it does look like you have fluid" → "chest x-ray: fluid". */
export function rewriteResult(sentence: string, p: Pronouns): string {
  const s = stripLeading(sentence)
    .replace(
      /^(?:so,?\s*)?(?:looking (?:here )?at|i (?:reviewed|looked at|have)|i've reviewed|i got|we got|we have)\s+(?:the results of\s+)?/,
      '',
    )
    .replace(/\byour\b/g, 'the')
    .replace(/\bit does look like\b/g, 'it shows')
    .replace(/\bi (?:do |can )?see\b/g, 'it shows');
  return secondToThird(s, p).replace(/^the\s+/, '');
}

const PLAN_LEAD =
  /^(?:i(?:'m| am) (?:going to|gonna)|i (?:want|would like|'d like|need) to|i'd like to|we(?:'re| are) (?:going to)|we(?:'ll| will)|let's|i(?:'ll| will)|we (?:can|should|need to)|i(?:'m| am) (?:also )?going to|what i(?:'d| would)? (?:like to|want to) do is)\s+(?:also\s+)?(?:go ahead and\s+)?(?:just\s+)?/;

/** The clinician announcing what follows: "my assessment is", "plan:", "the plan is to". */
const FRAMING =
  /^(?:(?:my|our|the)\s+)?(?:(?:overall|working|clinical)\s+)?(?:assessment(?: and plan)?|impression|diagnosis|plan)(?:\s+(?:today|here|for (?:you|today)|at this (?:time|point)))?(?:\s*[:,]\s*|\s+(?:is|would be|will be)\s+(?:that\s+)?)/;
/** What a framing may not be stripped from: "the diagnosis is unclear" says nothing without it. */
const HOLLOW = /^(?:pending|unclear|uncertain|unknown|undetermined|still|not (?:yet|clear|sure|certain)|tbd\b|(?:this|as follows)\s*:)/;

/** Which part of the note the clinician announces: "my assessment is …" → assessment, "plan: …" → plan. */
export function announced(sentence: string): 'assessment' | 'plan' | undefined {
  const m = FRAMING.exec(stripLeading(sentence));
  if (!m) return undefined;
  if (/\bassessment and plan\b/.test(m[0])) return undefined;
  return /\bplan\b/.test(m[0]) ? 'plan' : 'assessment';
}

/** "my assessment is essential hypertension" → "essential hypertension"; "the plan is not to start X" → "do not start X". */
export function withoutFraming(sentence: string): string {
  const m = FRAMING.exec(sentence);
  if (!m) return sentence;
  const content = sentence.slice(m[0].length);
  if (wordCount(content) < 2 || HOLLOW.test(content)) return sentence;
  return content.replace(/^not to\s+/, 'do not ').replace(/^(?:for (?:you|us|me|him|her|them) )?to\s+/, '');
}

/** Plans in the imperative notes use: "I'm going to go ahead and increase your lasix" → "increase his lasix". */
export function rewritePlan(sentence: string, p: Pronouns): string {
  const s = withoutFraming(stripLeading(sentence).replace(/^(?:so |and |also |then )+/, ''))
    .replace(/\b(\d+(?:\.\d+)?) milligrams?\b/g, '$1 mg')
    .replace(/\b(\d+(?:\.\d+)?) micrograms?\b/g, '$1 mcg');
  const imperative = s
    .replace(PLAN_LEAD, '')
    .replace(/^(start|keep|continue|maintain|put)\s+you\s+(on|back on)\b/, (_m, verb: string, on: string) =>
      verb === 'put' ? `${verb} ${on === 'on' ? 'on' : on}` : verb,
    );
  return secondToThird(imperative, p);
}

const INSTRUCTION_LEAD =
  /^(?:i (?:want|need|would like|'d like) you to|you (?:should|need to|have to|must|will need to|'ll need to)|make sure (?:that )?you|be sure to|remember to|please|i recommend (?:that )?you|i would recommend (?:that )?you|i'd recommend (?:that )?you|i encourage you to|try to|try and)\s+/;

/** Advice to the patient: "I want you to weigh yourself every day" → "Advised to weigh himself every day". */
export function rewriteInstruction(sentence: string, p: Pronouns): string {
  const s = stripLeading(sentence);
  if (INSTRUCTION_LEAD.test(s)) return `Advised to ${secondToThird(s.replace(INSTRUCTION_LEAD, ''), p)}`;
  if (/^(?:call|let me know|come back|go to the|return)\b/.test(s)) {
    return `Instructed to ${secondToThird(s.replace(/^(?:call me|let me know|give me a call)\b/, 'call'), p)}`;
  }
  if (/^if you\b/.test(s)) return secondToThird(s, p);
  return secondToThird(s, p);
}

const PROBLEM_LEAD =
  /^(?:(?:and|so|now|lastly|finally|next|then|also|alright|okay)[, ]+)*(?:for|regarding|as far as|in terms of|with regards? to|as for|moving on to|now for|in regards to)\s+(?:your|you|the|his|her)\s+(?:(?:first|second|third|fourth|next|last|other|final)\s+(?:problem|issue|concern)\s*,?\s*(?:(?:of |which is |is )?(?:your|the|this)\s+)?)?([a-z0-9' -]{3,60}?)(?:,\s*|\s+(?=i\b|we\b|it\b|you\b|that\b)|$)(.*)$/;

/** A dictated plan: "under abnormal liver enzymes, they have improved…". */
const DICTATED = /^(?:(?:so|and|then|also)[, ]+)*(?:under (?:the )?(?:plan|assessment)[, ]+)?under ([a-z0-9' -]{3,50}?),\s*(.*)$/;

/** "from a diabetes standpoint, let's increase…" */
const STANDPOINT = /(?:^|[, ]+)from an? ([a-z0-9' -]{3,50}?) (?:standpoint|perspective|point of view)[, ]+(.*)$/;

/** "for your first problem, your congestive heart failure, I think…" → problem + the rest. */
export function splitProblem(sentence: string): { problem: string; rest: string } | undefined {
  const stripped = stripLeading(sentence);
  const standpoint = STANDPOINT.exec(stripped) ?? DICTATED.exec(stripped);
  if (standpoint) return { problem: standpoint[1]!, rest: standpoint[2]! };
  const m = PROBLEM_LEAD.exec(stripped);
  if (!m) return undefined;
  // The problem is a noun phrase ending in a clinical word: "diabetes as long as" → "diabetes".
  const words = m[1]!
    .replace(/^(?:your|the)\s+/, '')
    .replace(/\s+(?:problem|issue)$/, '')
    .trim()
    .split(' ');
  while (words.length > 0 && !isClinicalWord(words.at(-1)!)) words.pop();
  const problem = words.join(' ');
  if (!problem || /^(?:first|second|next|last|other) (?:problem|issue)$/.test(problem)) return undefined;
  return { problem, rest: m[2]! };
}

/** Splits "I think you're retaining fluid, and I want to increase your lasix" into its two clauses. */
export function splitClauses(sentence: string): string[] {
  return sentence
    .split(
      /,?\s+(?:and|but|so)\s+(?=(?:i|we)(?:'m|'ll|'d| am| will| want| would| think| do| also| need| recommend| can| are going)\b)|;\s+|,?\s+(?=(?:(?:so|and|now|then),? )*(?:for|regarding|in terms of|as far as|as for|moving on to) (?:your|you|the|his|her|their) (?:first|second|third|fourth|next|last|other|final) (?:problem|issue|concern)\b)/,
    )
    .map((s) => s.trim())
    .filter(Boolean);
}

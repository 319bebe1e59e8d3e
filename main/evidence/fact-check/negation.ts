import { CARE, CONDITIONS, DRUGS, EXAM_TERMS, SYMPTOMS } from '../../drafting/offline/lexicon.js';
import type { Token } from './tokens.js';

/**
 * Whether a clinical word is said as present, absent or asked about. A negation ("no", "not",
 * "n't", "never", "without", "denies", "negative for", "none", "neither", "nor", "free of") covers
 * the words after it up to the end of its clause (. ; ? !, "but", "however", "although", "except",
 * "because", "which", or "and" / a comma before a new subject); "negative", "none", "denied",
 * "absent", "gone", "resolved" and "-free" at the end of a clause cover the words before it ("strep
 * test negative", "pain-free"). Words in a question ("any fever?") are asked about, not stated.
 * Pseudo-negations are skipped: "no change", "not sure", "no further", "not only".
 */
export interface Mention {
  /** The word, lower case, a plural "s" dropped: how the sentence and its evidence are compared. */
  readonly stem: string;
  readonly negated: boolean;
  readonly question: boolean;
  /** The token index of the word, and of the negation that covers it (the same when none does). */
  readonly at: number;
  readonly from: number;
}

const GENERIC = new Set(
  'history diagnosis condition disease disorder syndrome chronic acute better worse worsening improving improved flare flares mg milligram milligrams mcg units dose doses dosage follow followup appointment work results exam examination'.split(
    ' ',
  ),
);

export const stem = (word: string) => (word.length > 4 ? word.replace(/(?:es|s)$/, '') : word);

function isClinical(word: string): boolean {
  if (GENERIC.has(word)) return false;
  return SYMPTOMS.has(word) || CONDITIONS.has(word) || DRUGS.has(word) || EXAM_TERMS.has(word) || CARE.has(word);
}

/** Tokens a negation reaches past itself, or past the last clinical word it covered ("no fever, chills, or sweats"). */
const SCOPE = 8;
const PRE = new Set(['no', 'not', 'never', 'without', 'denies', 'denied', 'deny', 'denying', 'none', 'neither', 'nor']);
const POST = new Set(['negative', 'none', 'denied', 'absent', 'gone', 'resolved', 'free']);
/** A negation followed by one of these is not one: "no change", "not sure", "no, I have…". */
const PSEUDO = new Set(
  "change changes increase decrease difference further only necessarily sure certain doubt problem problems worries i he she they we it you i'm it's he's she's they're".split(
    ' ',
  ),
);
const CLAUSE_END_WORDS = new Set(['but', 'however', 'although', 'though', 'except', 'yet', 'because', 'since', 'whereas', 'which', 'so']);
const SUBJECTS = new Set(['i', 'he', 'she', 'they', 'we', 'it', 'you', "i'm", "it's", "he's", "she's", "they're", "i've", 'there']);
const LEADING = new Set(['and', 'so', 'okay', 'alright', 'now', 'well', 'um', 'uh', 'also', 'but']);

/** "n't" alone is how tokenised speech writes "do n't", "ca n't". */
const isNot = (word: string) => word.endsWith("n't") || /^(?:dont|didnt|doesnt|havent|hasnt|isnt|wasnt|arent|werent|cant|wont)$/.test(word);

const isNegation = (t: Token, next: Token | undefined): boolean => {
  if (t.kind !== 'word') return false;
  if (t.norm === 'negative') return next?.norm === 'for';
  if (!PRE.has(t.norm) && !isNot(t.norm)) return false;
  // "no change", "not sure", "no, I have…": only "no" and "not" have pseudo-negations; "denies change in vision" denies.
  return !(['no', 'not'].includes(t.norm) || isNot(t.norm)) || !(PSEUDO.has(next?.norm ?? '') || NEW_SUBJECTS.has(next?.norm ?? ''));
};

const NEW_SUBJECTS = new Set("i we you he she they i've i'm i'd we've we're you've you're he's she's they've they're".split(' '));

const endsClause = (tokens: readonly Token[], k: number): boolean => {
  const t = tokens[k]!;
  // A new subject starts a new clause: "if it doesn't improve we can consider an injection".
  if (NEW_SUBJECTS.has(t.norm) && k > 0 && tokens[k - 1]!.kind === 'word' && !isNegation(tokens[k - 1]!, t)) return true;
  if (t.kind === 'punct') return t.norm === ',' ? SUBJECTS.has(tokens[k + 1]?.norm ?? '') : t.norm !== '-' && t.norm !== '/';
  if (CLAUSE_END_WORDS.has(t.norm)) return true;
  return (t.norm === 'and' || t.norm === 'or') && SUBJECTS.has(tokens[k + 1]?.norm ?? '');
};

interface Stretch {
  readonly start: number;
  readonly end: number;
  readonly question: boolean;
}

/** "do you", "is there", "are your": an auxiliary asks only when a subject follows it ("was given morphine" states). */
const AUXILIARY = new Set([
  'do',
  'does',
  'did',
  'are',
  'is',
  'was',
  'were',
  'have',
  'has',
  'had',
  'can',
  'could',
  'would',
  'will',
  'should',
]);
const ASKED_SUBJECT = new Set([
  'you',
  'your',
  'he',
  'she',
  'it',
  'they',
  'we',
  'i',
  'there',
  'that',
  'this',
  'the',
  'any',
  'his',
  'her',
  'their',
]);
const WH = new Set(['how', 'what', 'when', 'where', 'which', 'who', 'why', 'any', 'anything']);
/** "…, okay?", "…, right?": a tag does not make the statement before it a question. */
const TAGS = new Set(['okay', 'right', 'alright', 'correct', 'yeah', 'yes', 'no', 'ok', 'huh', 'sound', 'sounds', 'good']);

function asks(tokens: readonly Token[], from: number, to: number): boolean {
  let k = from;
  while (k < to && (tokens[k]!.kind !== 'word' || LEADING.has(tokens[k]!.norm))) k += 1;
  if (k >= to) return false;
  const word = tokens[k]!.norm;
  return WH.has(word) || (AUXILIARY.has(word) && ASKED_SUBJECT.has(tokens[k + 1]?.norm ?? ''));
}

/** Words before "do you" that make it part of a statement: "what do you think", "if you have". */
const EMBEDS = new Set(['what', 'how', 'when', 'where', 'why', 'which', 'who', 'if', 'whether', 'that', 'than', 'as']);
/** How far an unmarked question reaches in unpunctuated speech ("… do you have any pain there okay now …"). */
const ASKED_REACH = 15;
/** A sentence ending in "?" with no question word asks as a whole only when short: "so you have chest pain?". */
const SHORT_QUESTION = 15;

/**
 * The text's clauses (cut at . ; ? !, at commas, at "and" / "but" / "so" / "or" before a question,
 * and before "do you", "are you", "is there"… in unpunctuated speech), each marked when it asks
 * rather than states. In a sentence ending in "?", everything from the first asking clause on asks
 * ("have you had any other symptoms, chest pain, nausea?"); with no asking clause, a short sentence
 * asks whole unless it ends in a tag ("…, okay?"). Without a "?", an asking clause asks for fifteen
 * words at most, across commas ("have you had any other symptoms , chest pain , nausea").
 */
function stretches(tokens: readonly Token[]): Stretch[] {
  const out: Stretch[] = [];
  let start = 0;
  while (start < tokens.length) {
    let end = start;
    while (end < tokens.length && !/^[.?!;]$/.test(tokens[end]!.norm)) end += 1;
    const marked = tokens[end]?.norm === '?';
    const clauses: [number, number][] = [];
    let from = start;
    for (let k = start; k < end; k += 1) {
      const t = tokens[k]!;
      const conjunction = ['and', 'but', 'so', 'or'].includes(t.norm) && asks(tokens, k + 1, end);
      const inner =
        k > from && AUXILIARY.has(t.norm) && ['you', 'there'].includes(tokens[k + 1]?.norm ?? '') && !EMBEDS.has(tokens[k - 1]!.norm);
      if (t.norm === ',' || conjunction) {
        if (k > from) clauses.push([from, k]);
        from = k + 1;
      } else if (inner) {
        clauses.push([from, k]);
        from = k;
      }
    }
    if (end > from) clauses.push([from, end]);
    const first = clauses.findIndex(([a, b]) => asks(tokens, a, b));
    const last = clauses.at(-1);
    const tagged = last !== undefined && last[1] - last[0] <= 2 && TAGS.has(tokens[last[0]]!.norm);
    if (marked) {
      const askedFrom = first >= 0 ? clauses[first]![0] : !tagged && end - start <= SHORT_QUESTION ? start : end;
      if (askedFrom > start) out.push({ start, end: askedFrom, question: false });
      if (askedFrom < end) out.push({ start: askedFrom, end, question: true });
    } else {
      let askedTo = start;
      for (const [a, b] of clauses) {
        if (asks(tokens, a, b)) askedTo = Math.min(end, a + ASKED_REACH);
        if (askedTo >= b) out.push({ start: a, end: b, question: true });
        else if (askedTo > a) out.push({ start: a, end: askedTo, question: true }, { start: askedTo, end: b, question: false });
        else out.push({ start: a, end: b, question: false });
      }
    }
    start = end + 1;
  }
  return out;
}

/** Every clinical word of the text with its polarity, in order. */
export function mentions(tokens: readonly Token[]): Mention[] {
  const asked: boolean[] = new Array<boolean>(tokens.length).fill(false);
  for (const { start, end, question } of stretches(tokens)) if (question) asked.fill(true, start, end);
  const out: Mention[] = [];
  let cue = -1;
  let reach = -1;
  let clauseStart = 0;
  for (let k = 0; k < tokens.length; k += 1) {
    const t = tokens[k]!;
    if (endsClause(tokens, k)) {
      cue = -1;
      clauseStart = k + 1;
      continue;
    }
    if (isNegation(t, tokens[k + 1])) {
      cue = k;
      reach = k;
      continue;
    }
    // Unpunctuated speech runs on: a negation reaches a few words past itself or the last word it covered.
    if (cue >= 0 && k - reach > SCOPE) cue = -1;
    const free = /^([a-z]+)-free$/.exec(t.norm);
    if (free && isClinical(free[1]!)) {
      out.push({ stem: stem(free[1]!), negated: true, question: asked[k]!, at: k, from: k });
      continue;
    }
    const closesClause = k + 1 >= tokens.length || endsClause(tokens, k + 1);
    if (POST.has(t.norm) && closesClause && cue < 0) {
      // "strep test negative": the clause's words before it were stated absent.
      for (let m = out.length - 1; m >= 0 && out[m]!.at >= clauseStart; m -= 1) out[m] = { ...out[m]!, negated: true };
      continue;
    }
    if (t.kind === 'word' && isClinical(t.norm)) {
      if (cue >= 0) reach = k;
      out.push({ stem: stem(t.norm), negated: cue >= 0, question: asked[k]!, at: k, from: cue >= 0 ? cue : k });
    }
  }
  return out;
}

const ANSWER_NO = new Set(['no', 'nope', 'nah', 'never', 'none', 'not', 'denies', 'denied', 'negative', 'nothing']);

/**
 * Whether the text answers "no": its first statement opens with "no", "nope", "nah", "never",
 * "none", "negative", "not really" or "I don't / haven't…" (as the drafter reads an answer).
 */
export function saysNo(tokens: readonly Token[]): boolean {
  const stated = stretches(tokens).find(({ start, end, question }) => !question && end > start);
  if (!stated) return false;
  let k = stated.start;
  while (k < stated.end && (tokens[k]!.kind !== 'word' || LEADING.has(tokens[k]!.norm))) k += 1;
  const word = tokens[k]?.norm ?? '';
  const next = tokens[k + 1]?.norm ?? '';
  const third = tokens[k + 2]?.norm ?? '';
  return (
    ANSWER_NO.has(word) ||
    (['i', 'we', 'he', 'she'].includes(word) &&
      (isNot(next) || (['do', 'have', 'did'].includes(next) && (isNot(third) || third === 'not'))))
  );
}

/** Whether the text states anything outside a question. */
export function states(tokens: readonly Token[]): boolean {
  return stretches(tokens).some(({ start, end, question }) => !question && end > start);
}

/**
 * Which sentences of a note still read as speech rather than as a clinician's written note (issue 16):
 * a sentence is speech-like when, outside quotation marks, it
 *  - uses a first or second person pronoun (I, me, my, we, us, our, you, your …),
 *  - holds a filler or conversational token (um, uh, mm-hmm, okay, yeah, gonna, you know …),
 *  - talks about the visit or the recording itself ("let's talk about", "go ahead", "end the recording",
 *    "any questions", "thank you", "nice to meet you" …), or
 *  - is a question.
 * Quoted words (the patient's own, as notes quote them) are left out before the checks.
 */
export type SpeechSign = 'person' | 'filler' | 'meta' | 'question';

const PERSON =
  /\b(i|i'm|i've|i'll|i'd|me|my|mine|myself|we|we're|we've|we'll|we'd|us|our|ours|ourselves|you|you're|you've|you'll|you'd|your|yours|yourself|y'all)\b/i;
const FILLER = /\b(um+|uh+|uh-huh|mm-hmm|mhm|hmm+|huh|okay|ok|alright|yeah|yep|yup|nope|gonna|wanna|gotta|kinda|sorta|you know|i mean)\b/i;
const META =
  /\b(let's|let me|go ahead|talk about|talk a little|recording|dictat\w*|finalize the note|any questions|thank you|thanks|nice to (meet|see)|good to see|see you|hi|hello|hey|have a seat|bye|take care)\b/i;
const QUOTED = /"[^"]*"|“[^”]*”|'[^']{12,}'/g;

export function speechSigns(sentence: string): SpeechSign[] {
  const unquoted = sentence.replace(QUOTED, ' ');
  const signs: SpeechSign[] = [];
  if (PERSON.test(unquoted)) signs.push('person');
  if (FILLER.test(unquoted)) signs.push('filler');
  if (META.test(unquoted)) signs.push('meta');
  if (unquoted.trim().endsWith('?')) signs.push('question');
  return signs;
}

/**
 * A note's sentences: lines cut at sentence ends. Section headings (a line without final punctuation
 * of at most four words, or in capitals) and list markers are not sentences.
 */
export function noteSentences(text: string): string[] {
  const out: string[] = [];
  for (const raw of text.split('\n')) {
    const line = raw.replace(/^\s*([-•*]|\d+\.)\s+/, '').trim();
    if (!line) continue;
    const heading = (!/[.?!:]$/.test(line) && line.split(/\s+/).length <= 4) || (/[A-Z]/.test(line) && line === line.toUpperCase());
    if (heading) continue;
    for (const s of line.split(/(?<=[.?!])\s+(?=["“A-Z0-9])/)) if (/[a-z0-9]/i.test(s)) out.push(s.trim());
  }
  return out;
}

export interface SpeechLikeCount {
  readonly sentences: number;
  readonly speechLike: number;
  readonly bySign: Readonly<Record<SpeechSign, number>>;
}

export function countSpeechLike(text: string): SpeechLikeCount {
  const bySign: Record<SpeechSign, number> = { person: 0, filler: 0, meta: 0, question: 0 };
  let speechLike = 0;
  const sentences = noteSentences(text);
  for (const s of sentences) {
    const signs = speechSigns(s);
    if (signs.length > 0) speechLike += 1;
    for (const sign of signs) bySign[sign] += 1;
  }
  return { sentences: sentences.length, speechLike, bySign };
}

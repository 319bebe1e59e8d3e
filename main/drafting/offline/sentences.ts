import { frequencyAt } from '../../evidence/fact-check/frequencies.js';
import { routeAt } from '../../evidence/fact-check/routes.js';
import { tokenize } from '../../evidence/fact-check/tokens.js';

/**
 * Splits a turn into sentences. Punctuated text splits at . ? !; unpunctuated speech (many ASR
 * outputs) also splits before the discourse markers people start a new thought with ("okay",
 * "alright", "so", "let's", "I'm going to") and before a question that starts mid-stream
 * ("… right knee okay and when did this happen").
 */
const BOUNDARY = /[.?!]+(?=\s|$)/g;
/** Words that open a new thought when they follow a complete stretch of speech. */
const STRONG = new Set(['okay', 'alright']);
const WEAK = new Set(['so', 'now', 'well', 'anyway', 'next', 'lastly', 'also', 'great', 'perfect', 'good', 'yeah']);
const QUESTION_START =
  /^(?:(?:okay|alright|so|and|now|well|um|great|good|yeah|but)[, ]+)*(?:do|does|did|are|is|was|were|have|has|had|can|could|would|will|should|how|what|what's|when|where|which|who|why|any|tell me|is there|are there)\b/;
const QUESTION_WORD = /^(?:do|does|did|are|have|has|can|could|how|what|when|where|which|any|is)$/;
const SUBJECTS = /^(?:you|your|it|that|this|there|the|any|they|he|she|long|often|much|many|about|kind|side|part|knee|arm|leg)$/;
/** Phrases that start a new clause in a clinician's running narration. */
const CLAUSE_START = /^(?:let's|let|i'm|i|if|listen|take|looks|we're|we|now|tell)$/;
/** Words that bind what follows to what came before: no new sentence after them. */
const BINDING =
  /^(?:because|that|and|or|but|if|when|so|since|as|which|who|to|for|of|the|a|an|what|where|how|cause|until|unless|while|then)$/;
const CLAUSE_NEXT: Record<string, RegExp> = {
  "let's": /./,
  let: /^me$/,
  "i'm": /^(?:going|gonna|just|also|concerned|worried)$/,
  i: /^(?:want|think|would|will|am|do|don't|also|see|know|am)$/,
  if: /^(?:you|i|it|that|there)$/,
  listen: /^to$/,
  take: /^a$/,
  looks: /^like$/,
  tell: /^me$/,
  "we're": /^going$/,
  we: /^(?:will|can|should|need|want)$/,
  now: /^(?:i|let's|for|you|your)$/,
};

/** "…one plus pitting edema, okay?": a statement with a check that the patient follows, not a question. */
const TAG_QUESTION = /[,\s]+(?:okay|alright|right|all right|sound good|does that sound good|does that make sense|you know)$/;

export interface Sentence {
  readonly text: string;
  readonly question: boolean;
}

function isBoundaryAt(words: readonly string[], i: number, current: number, punctuated: boolean): boolean {
  const w = words[i]!.replace(/[,;:]$/, '');
  const next = (words[i + 1] ?? '').replace(/[,;:]$/, '');
  const rest = words.length - i;
  if (current < 1 || rest < 2) return false;
  if (STRONG.has(w)) return true;
  if (current < 3 || (w !== 'and' && w !== 'but' && BINDING.test((words[i - 1] ?? '').replace(/[,;:]$/, '')))) return false;
  if (punctuated) return false;
  if (WEAK.has(w) && current >= 5) return true;
  // Run-on speech: "… with the horses and they were moving some hay but they developed …".
  if ((w === 'and' || w === 'but') && current >= 10 && /^(?:i|we|he|she|they|it|that's|then|i'm|i've)$/.test(next)) return true;
  if (QUESTION_WORD.test(w) && SUBJECTS.test(next) && current >= 4 && !/^(?:and|or|what|that|if|how|when)$/.test(words[i - 1] ?? ''))
    return true;
  if (w === 'and' && QUESTION_WORD.test(next) && SUBJECTS.test(words[i + 2] ?? '')) return true;
  const clause = CLAUSE_NEXT[w];
  return clause !== undefined && CLAUSE_START.test(w) && clause.test(next) && current >= 5;
}

function splitRun(words: string[], punctuated: boolean): string[][] {
  const pieces: string[][] = [];
  let current: string[] = [];
  for (let i = 0; i < words.length; i += 1) {
    if (isBoundaryAt(words, i, current.length, punctuated)) {
      pieces.push(current);
      current = [];
    }
    current.push(words[i]!);
  }
  if (current.length) pieces.push(current);
  return pieces;
}

/** "p.o." or "b.i.d." closing a chunk: a dotted abbreviation, not the end of a sentence, when a regimen word follows. */
const DOTTED_END = /(?:^|\s)[a-z](?:\.[a-z0-9]{1,2}){1,3}$/i;

/** "trizivir 1 tablet p.o. b.i.d.": the dots of "p.o." do not end the sentence before "b.i.d.". */
function joinRegimens(chunks: { text: string; end: string }[]): void {
  for (let i = chunks.length - 2; i >= 0; i -= 1) {
    const chunk = chunks[i]!;
    const next = chunks[i + 1]!;
    if (chunk.end !== '.' || !DOTTED_END.test(chunk.text)) continue;
    const tokens = tokenize(next.text);
    if (tokens.length === 0 || !(frequencyAt(tokens, 0, false) ?? routeAt(tokens, 0))) continue;
    chunks.splice(i, 2, { text: `${chunk.text}.${next.text}`, end: next.end });
  }
}

export function splitSentences(text: string): Sentence[] {
  const out: Sentence[] = [];
  const chunks: { text: string; end: string }[] = [];
  let last = 0;
  for (const match of text.matchAll(BOUNDARY)) {
    chunks.push({ text: text.slice(last, match.index), end: match[0] });
    last = match.index + match[0].length;
  }
  if (last < text.length) chunks.push({ text: text.slice(last), end: '' });
  joinRegimens(chunks);
  // Speech with almost no punctuation is split by its discourse markers instead.
  const words = text.split(/\s+/).filter(Boolean).length;
  const marks = (text.match(/[.,?!;]/g) ?? []).length;
  const punctuated = marks >= Math.max(1, words / 30);
  for (const chunk of chunks) {
    const chunkWords = chunk.text.trim().split(/\s+/).filter(Boolean);
    if (chunkWords.length === 0) continue;
    const pieces = splitRun(chunkWords, punctuated);
    pieces.forEach((piece, i) => {
      let body = piece.join(' ').replace(/[,;:]$/, '');
      const isLast = i === pieces.length - 1;
      let question = isLast && chunk.end.includes('?') ? true : (!punctuated || !isLast || !chunk.end) && QUESTION_START.test(body);
      const tagged = TAG_QUESTION.exec(body);
      if (question && tagged && !QUESTION_START.test(body)) {
        body = body.slice(0, tagged.index);
        question = false;
      }
      if (body !== '') out.push({ text: body, question });
    });
  }
  return out;
}

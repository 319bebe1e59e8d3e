import { BODY_PARTS, SYMPTOMS } from './lexicon.js';
import { stripLeading, wordCount } from './style.js';

/**
 * The chief complaint: what the visit is for, in a few words. Clinicians often say it outright
 * ("presents today for follow-up of his chronic problems", "here for knee pain"); otherwise it is
 * the first symptom the patient names, with its body part ("pain in my right knee" → "right knee pain").
 */
const STATED =
  /\b(?:presents?|presenting|here|coming in|came in|comes in|come in|in|seen|referred|visiting)\s+(?:today\s+|again\s+|back\s+)?(?:for|with|because of|due to|regarding)\s+(?:an?\s+|the\s+|his\s+|her\s+|your\s+|their\s+|some\s+|a\s+)?(.+?)(?=[.,;?]|$|\s+(?:and\s+(?:i|we|you|he|she|they)|who|that|which|so|but|today)\b)/;

const SIDE = new Set(['left', 'right', 'lower', 'upper', 'bilateral', 'both', 'middle']);

export function statedComplaint(sentence: string): string | undefined {
  const m = STATED.exec(sentence);
  if (!m) return undefined;
  const phrase = m[1]!
    .replace(/\b(?:his|her|your|their|my)\s+/g, '')
    .replace(/^(?:complaints?|concerns?) (?:of|about)\s+/, '')
    .trim();
  if (wordCount(phrase) > 10 || wordCount(phrase) < 1) return undefined;
  if (/^(?:a (?:visit|while|minute|second|bit)|now|today|this|that|it|you|me|us)$/.test(phrase)) return undefined;
  return phrase;
}

/** "I've been having this pain in my right knee" → "right knee pain"; "my back hurts" → "back pain". */
export function symptomComplaint(sentence: string): string | undefined {
  const words = stripLeading(sentence)
    .replace(/[.,;?!]/g, '')
    .split(/\s+/);
  for (let i = 0; i < words.length; i += 1) {
    const w = words[i]!;
    if (
      !SYMPTOMS.has(w) ||
      /^(?:better|worse|worsening|improving|improved|sleep|sleeping|weight|history|fall|fell|breath|pop|popping|clicking|limp|stress|stressed|worry|worried|flare|flares|bleed|cut|broke|broken|injured|injury|accident|burning|racing|frequency)$/.test(
        w,
      )
    )
      continue;
    if (/^(?:hurt|hurts|hurting)$/.test(w)) {
      const part = bodyPartBefore(words, i) ?? bodyPartAfter(words, i + 1);
      return part ? `${part} pain` : undefined;
    }
    // "sore throat", "stiff neck", "swollen ankles": the symptom names the part that follows it.
    const following = bodyPartAfter(words, i + 1);
    if (following && !/^(?:my|the|his|her|your)$/.test(words[i + 1] ?? '')) return `${w} ${following}`;
    const where = words[i + 1] === 'in' || words[i + 1] === 'on' ? bodyPartAfter(words, i + 2) : undefined;
    const before = bodyPartBefore(words, i);
    const noun = /^(?:pains|aches)$/.test(w) ? w.slice(0, -1) : w;
    if (where) return `${where} ${noun}`;
    if (before) return `${before} ${noun}`;
    return noun;
  }
  return undefined;
}

function bodyPartBefore(words: readonly string[], at: number): string | undefined {
  const parts: string[] = [];
  for (let k = at - 1; k >= 0 && parts.length < 3; k -= 1) {
    const w = words[k]!;
    if (BODY_PARTS.has(w) || SIDE.has(w)) parts.unshift(w);
    else break;
  }
  return parts.some((w) => BODY_PARTS.has(w) && !SIDE.has(w)) ? parts.join(' ') : undefined;
}

function bodyPartAfter(words: readonly string[], from: number): string | undefined {
  let k = from;
  while (k < words.length && /^(?:my|the|his|her|your|both|of)$/.test(words[k]!)) k += 1;
  const parts: string[] = [];
  while (k < words.length && parts.length < 3 && (BODY_PARTS.has(words[k]!) || SIDE.has(words[k]!))) parts.push(words[k++]!);
  return parts.some((w) => !SIDE.has(w)) ? parts.join(' ') : undefined;
}

import { BODY_PARTS } from '../../drafting/offline/lexicon.js';
import type { Token } from './tokens.js';

/**
 * Which side: left, right or bilateral. "Left" and "right" count when a body part or "side" follows
 * within two words ("left knee", "right lower leg", "left-sided") or a determiner comes just before
 * ("the left", "on your right"), so "that's right", "right now" and "I left work" are not sides.
 * Bilateral = bilaterally = both sides = "both" before a body part; evidence naming both left and
 * right also backs "bilateral".
 */
export type Side = 'left' | 'right' | 'bilateral';

const SIDE_WORDS = new Set(['side', 'sides', 'sided', 'quadrant', 'extremity', 'extremities', 'flank', 'breast', 'temple', 'buttock']);
const BEFORE = new Set(['the', 'your', 'my', 'his', 'her', 'their', 'on', 'to']);

const isPart = (t: Token | undefined) =>
  t !== undefined && t.norm !== 'left' && t.norm !== 'right' && (BODY_PARTS.has(t.norm) || SIDE_WORDS.has(t.norm));

export function sideAt(tokens: readonly Token[], i: number): Side | undefined {
  const word = tokens[i]!.norm;
  if (word === 'bilateral' || word === 'bilaterally') return 'bilateral';
  if (word === 'both') return tokens[i + 1]?.norm === 'sides' || isPart(tokens[i + 1]) ? 'bilateral' : undefined;
  const side = /^(left|right)(?:-sided)?$/.exec(word)?.[1] as 'left' | 'right' | undefined;
  if (!side) return undefined;
  if (word.endsWith('-sided')) return side;
  if (BEFORE.has(tokens[i - 1]?.norm ?? '') || isPart(tokens[i + 1]) || (tokens[i + 1]?.kind === 'word' && isPart(tokens[i + 2]))) {
    return side;
  }
  return undefined;
}

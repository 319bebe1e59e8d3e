import type { Token } from './tokens.js';

/**
 * Fixed phrases found token by token, longest first: the frequency and route tables are written as
 * "(once|one time) (a|per) day" → "1/d", where "#" stands for a number and is carried into the key
 * ("every # hours" → "q8h"). Each phrase is indexed by its first word, so a lookup costs a few
 * comparisons per token whatever the size of the table.
 */
export interface PhraseMatch {
  readonly key: string;
  /** Index just past the phrase. */
  readonly end: number;
}

interface Phrase {
  readonly words: readonly string[];
  readonly key: string;
}

/** "(a|per) day" → ["a day", "per day"]: every choice of every bracketed group. */
function expand(pattern: string): string[] {
  const group = /\(([^()]*)\)/.exec(pattern);
  if (!group) return [pattern.replace(/\s+/g, ' ').trim()];
  const before = pattern.slice(0, group.index);
  const after = pattern.slice(group.index + group[0].length);
  return group[1]!.split('|').flatMap((choice) => expand(`${before}${choice}${after}`));
}

export class PhraseTable {
  private readonly byFirst = new Map<string, Phrase[]>();

  constructor(entries: readonly (readonly [key: string, patterns: readonly string[]])[]) {
    for (const [key, patterns] of entries) {
      for (const pattern of patterns) {
        for (const text of expand(pattern)) {
          const words = text.split(' ');
          const list = this.byFirst.get(words[0]!) ?? [];
          list.push({ words, key });
          this.byFirst.set(words[0]!, list);
        }
      }
    }
    for (const list of this.byFirst.values()) list.sort((a, b) => b.words.length - a.words.length);
  }

  /** The longest phrase starting at `tokens[i]`, if any. */
  matchAt(tokens: readonly Token[], i: number): PhraseMatch | undefined {
    const first = tokens[i]!;
    const candidates = this.byFirst.get(first.kind === 'number' && !first.norm.includes('/') ? '#' : first.norm);
    if (!candidates) return undefined;
    for (const phrase of candidates) {
      const numbers: string[] = [];
      let ok = true;
      for (let k = 0; k < phrase.words.length && ok; k += 1) {
        const t = tokens[i + k];
        const word = phrase.words[k]!;
        if (!t) ok = false;
        else if (word === '#') {
          if (t.kind === 'number' && !t.norm.includes('/')) numbers.push(t.norm);
          else ok = false;
        } else ok = t.norm === word;
      }
      if (!ok) continue;
      let n = 0;
      return { key: phrase.key.replace(/#/g, () => numbers[n++] ?? '#'), end: i + phrase.words.length };
    }
    return undefined;
  }
}

import type { Abbreviation, AbbreviationTable } from './abbreviations.js';
import { abbreviationKey } from './abbreviations.js';
import type { SearchSynonym, SynonymTable } from './search-synonyms.js';
import { LONGEST_SYNONYM } from './search-synonyms.js';
import { isStopword, plainWords, queryWords, stem } from './text.js';

export interface QueryTerm {
  readonly stem: string;
  /** Whether words that merely start with it count ("diab" → diabetes); only for what a person typed. */
  readonly prefix: boolean;
}

/** One way to read part of a query: the words as typed, or an abbreviation's expansion. */
export interface Alternative {
  readonly terms: readonly QueryTerm[];
  readonly expansion: boolean;
}

/** A part of the query every hit must match through one of its alternatives. */
export type Group = readonly Alternative[];

/** Numbers and single letters match whole words only: "2" must not find "20", "d" not "disease". */
const typed = (raw: string): QueryTerm => ({ stem: stem(raw), prefix: raw.length >= 2 && !/\d/.test(raw) });
const whole = (raw: string): QueryTerm => ({ stem: stem(raw), prefix: false });

/**
 * "t2dm foot ulc" → [[t2dm | type 2 diabetes mellitus], [foot], [ulc*]]. Abbreviations are looked up
 * one word at a time and as two words joined ("a fib", "GI bleed"); search synonyms (search-synonyms.ts)
 * as phrases of up to three words, longest first. A word or phrase found in either table matches as
 * written or through any of its meanings.
 */
export function parseQuery(query: string, table: AbbreviationTable, synonyms: SynonymTable = new Map()): Group[] {
  const raw = plainWords(query);
  const groups: Group[] = [];
  for (let i = 0; i < raw.length; i += 1) {
    let length = 0;
    let abbreviation: Abbreviation | undefined;
    let synonym: SearchSynonym | undefined;
    // Phrases before stopwords: the "a" of "a fib" is a stopword on its own.
    for (let n = Math.min(LONGEST_SYNONYM, raw.length - i); n >= 1 && length === 0; n -= 1) {
      const key = abbreviationKey(raw.slice(i, i + n).join(''));
      abbreviation = n <= 2 ? table.get(key) : undefined;
      synonym = synonyms.get(key);
      if (synonym?.firstWordOnly && (i > 0 || raw.length === 1)) synonym = undefined;
      if (abbreviation || synonym) length = n;
    }
    if (length === 0 && isStopword(raw[i]!)) continue;
    const literal = raw.slice(i, i + Math.max(1, length));
    i += Math.max(1, length) - 1;
    if (!abbreviation && !synonym) {
      groups.push([{ terms: literal.map(typed), expansion: false }]);
      continue;
    }
    const meanings = (texts: readonly string[], expansion: boolean): Alternative[] =>
      texts.map((text) => ({ terms: queryWords(text).map(whole), expansion }));
    groups.push([
      { terms: literal.filter((w) => !isStopword(w)).map(whole), expansion: false },
      ...meanings(abbreviation?.expansions ?? [], true),
      ...meanings(synonym?.means ?? [], false),
    ]);
  }
  return groups;
}

/** The query's readings as phrases of stems ("htn" → "htn", "hypertension"), at most `limit` of them. */
export function readings(groups: readonly Group[], limit = 32): { phrase: string; expansion: boolean }[] {
  let out: { phrase: string[]; expansion: boolean }[] = [{ phrase: [], expansion: false }];
  for (const group of groups) {
    const next: { phrase: string[]; expansion: boolean }[] = [];
    for (const partial of out) {
      for (const alternative of group) {
        if (next.length >= limit) break;
        next.push({
          phrase: [...partial.phrase, ...alternative.terms.map((t) => t.stem)],
          expansion: partial.expansion || alternative.expansion,
        });
      }
    }
    out = next;
  }
  return out.filter((r) => r.phrase.length > 0).map((r) => ({ phrase: r.phrase.join(' '), expansion: r.expansion }));
}

/** A phrase as `readings` writes it, for the concept table's look-up. */
export const phraseKey = (text: string): string => queryWords(text).map(stem).join(' ');

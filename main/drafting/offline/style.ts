import { CASING } from './lexicon.js';

/**
 * The finishing pass on every drafted sentence: leading discourse words off ("so", "okay", "and"),
 * first letter up, abbreviations in capitals, one closing full stop.
 */
const LEADING =
  /^(?:(?:(?:so|okay|alright|and|but|well|yeah|yes|now|then|also|oh|great|good|perfect|right|sure|um|uh|again|anyway|actually|lastly|finally|basically|just|like|see|hey|wow|gosh|true|cool|fine|excellent|awesome)\b[,.]?|no[,.])\s+)+/;

export function stripLeading(text: string): string {
  return text.replace(LEADING, '').replace(/^[,;:.\s]+/, '');
}

export function finish(text: string): string {
  let out = stripLeading(text.trim())
    .replace(/[,;:\s]+$/, '')
    .replace(/\s+/g, ' ');
  if (out === '') return '';
  out = out
    .split(' ')
    .map((token) => {
      const m = /^([a-z0-9'-]+)(.*)$/.exec(token);
      // "i.m.", "p.o.": a dotted abbreviation is not the word before its first dot.
      if (!m || /^\.[a-z0-9]/.test(m[2]!)) return token;
      const cased = CASING.get(m[1]!);
      return cased ? cased + m[2]! : token;
    })
    .join(' ');
  out = out.charAt(0).toUpperCase() + out.slice(1);
  if (!/[.?!]$/.test(out)) out += '.';
  return out.replace(/\?$/, '.');
}

export function wordCount(text: string): number {
  return text.split(/\s+/).filter(Boolean).length;
}

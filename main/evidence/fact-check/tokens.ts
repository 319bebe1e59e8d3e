import { numberRunAt } from '../../drafting/offline/number-words.js';

/**
 * The fact checker's view of a text: words, numbers and punctuation, each with where it stands in
 * the text as written (so a fact is reported in the sentence's own words). Number words become
 * digits ("five hundred" → 500, "ninety eight point six" → 98.6), "1,000" → 1000, dotted
 * abbreviations lose their dots ("b.i.d." → bid, "p.o." → po), "120 over 80", "120/80" and
 * "7 out of 10" become one number token ("120/80", "7/10"). One pass, no backtracking.
 */
export interface Token {
  /** Lower case; digits for a number; a dotted abbreviation without its dots; "'s" dropped. */
  readonly norm: string;
  readonly kind: 'word' | 'number' | 'punct';
  /** Written as an abbreviation, in capitals or with dots ("IM", "i.m."): "im" and "pr" need it to be read as routes. */
  readonly marked: boolean;
  readonly start: number;
  readonly end: number;
}

// Alternatives, tried at each position in this order: space, a dotted abbreviation ("b.i.d.", "q.8h.",
// "p.r.n."), a number ("1,000", "98.6"), a word ("don't", "x-ray", "q8h", "year-old"), any other character.
const SCAN =
  /(\s+)|((?:[a-z]{1,2}\.){1,3}[a-z0-9]{1,2}\.?(?![a-z0-9]))|(\d+(?:,\d{3})*(?:\.\d+)?)|([a-z\u00b5][a-z0-9]*(?:['\u2019][a-z]+)?(?:-[a-z0-9]+)*)|([\s\S])/giy;

function scan(text: string): Token[] {
  const out: Token[] = [];
  SCAN.lastIndex = 0;
  let m: RegExpExecArray | null;
  while ((m = SCAN.exec(text)) !== null) {
    const start = m.index;
    const end = start + m[0].length;
    if (m[1] !== undefined) continue;
    const raw = m[0];
    const upper = /[A-Z]/.test(raw) && raw === raw.toUpperCase();
    if (m[2] !== undefined) out.push({ norm: raw.toLowerCase().replace(/\./g, ''), kind: 'word', marked: true, start, end });
    else if (m[3] !== undefined) out.push({ norm: String(Number(raw.replace(/,/g, ''))), kind: 'number', marked: false, start, end });
    else if (m[4] !== undefined) {
      const norm = raw
        .toLowerCase()
        .replace(/\u2019/g, "'")
        .replace(/'s$/, '');
      out.push({ norm, kind: 'word', marked: upper, start, end });
    } else out.push({ norm: raw, kind: 'punct', marked: false, start, end });
  }
  return out;
}

/** Runs of number words read as one number ("two hundred fifty" → 250), by the drafter's own reader. */
function withNumberWords(tokens: readonly Token[]): Token[] {
  const norms = tokens.map((t) => t.norm);
  const out: Token[] = [];
  let i = 0;
  while (i < tokens.length) {
    const run = tokens[i]!.kind === 'word' ? numberRunAt(norms, i) : undefined;
    if (!run) {
      out.push(tokens[i]!);
      i += 1;
      continue;
    }
    out.push({ norm: String(Number(run.text)), kind: 'number', marked: false, start: tokens[i]!.start, end: tokens[run.end - 1]!.end });
    i = run.end;
  }
  return out;
}

const isNumber = (t: Token | undefined) => t?.kind === 'number' && !t.norm.includes('/');

/** "120/80", "120 over 80", "7 out of 10" → one token "120/80", "7/10". */
function withFractions(tokens: readonly Token[]): Token[] {
  const out: Token[] = [];
  let i = 0;
  while (i < tokens.length) {
    const t = tokens[i]!;
    if (isNumber(t)) {
      const next = tokens[i + 1];
      const width =
        (next?.norm === '/' && next.start === t.end) || next?.norm === 'over'
          ? 2
          : next?.norm === 'out' && tokens[i + 2]?.norm === 'of'
            ? 3
            : 0;
      const denominator = width > 0 ? tokens[i + width] : undefined;
      if (denominator && isNumber(denominator)) {
        out.push({ norm: `${t.norm}/${denominator.norm}`, kind: 'number', marked: false, start: t.start, end: denominator.end });
        i += width + 1;
        continue;
      }
    }
    out.push(t);
    i += 1;
  }
  return out;
}

/**
 * Words said again while thinking ("five hundred, five hundred milligrams", "the the"), read once,
 * as the drafter reads them (normalize.ts): the same run of one to three words right after itself.
 */
function withoutRepeats(tokens: readonly Token[]): Token[] {
  const out: Token[] = [];
  for (const t of tokens) {
    out.push(t);
    for (const width of [3, 2, 1]) {
      const n = out.length;
      if (n < 2 * width) continue;
      let same = true;
      for (let k = 0; k < width && same; k += 1) {
        const a = out[n - width + k]!;
        same = a.kind === 'word' && a.norm === out[n - 2 * width + k]!.norm;
      }
      if (same) {
        out.length = n - width;
        break;
      }
    }
  }
  return out;
}

export function tokenize(text: string): Token[] {
  return withFractions(withNumberWords(withoutRepeats(scan(text))));
}

/** The text a run of tokens covers, as written. */
export const spanOf = (text: string, tokens: readonly Token[], from: number, to: number): string =>
  text.slice(tokens[from]!.start, tokens[to - 1]!.end);

/**
 * Spoken numbers to digits, the way notes write them: "one fifty over ninety" → "150 over 90",
 * "ninety eight point six" → "98.6", "five weeks" → "5 weeks". A lone "one" stays a word unless a
 * unit follows ("that one" is not a number; "one week" is).
 */
const UNITS: Record<string, number> = {
  zero: 0,
  one: 1,
  two: 2,
  three: 3,
  four: 4,
  five: 5,
  six: 6,
  seven: 7,
  eight: 8,
  nine: 9,
  ten: 10,
  eleven: 11,
  twelve: 12,
  thirteen: 13,
  fourteen: 14,
  fifteen: 15,
  sixteen: 16,
  seventeen: 17,
  eighteen: 18,
  nineteen: 19,
};
const TENS: Record<string, number> = { twenty: 20, thirty: 30, forty: 40, fifty: 50, sixty: 60, seventy: 70, eighty: 80, ninety: 90 };
const NUMBER_WORD = new Set([...Object.keys(UNITS), ...Object.keys(TENS), 'hundred', 'thousand']);

const UNIT_AFTER =
  /^(?:days?|weeks?|months?|years?|hours?|minutes?|seconds?|times?|mg|milligrams?|micrograms?|mcg|grams?|units?|ml|cc|pounds?|lbs?|kilos?|kilograms?|percent|%|tablets?|pills?|puffs?|drops?|doses?|cups?|drinks?|packs?|cigarettes?|servings?|nights?|mornings?|inches?|centimeters?|cm|millimeters?|mm|feet|foot|degrees?|beats?|out|over|point|am|pm|o'clock|year-old|day-old|week-old|month-old)$/;

interface Run {
  value: number;
  /** Text form: "98.6", "150". */
  text: string;
}

/** Reads a run of number words; returns undefined when it is not a sensible number. */
function readRun(tokens: readonly string[]): Run | undefined {
  const point = tokens.indexOf('point');
  if (point >= 0) {
    const whole = readRun(tokens.slice(0, point));
    const decimals = tokens.slice(point + 1).map((t) => UNITS[t]);
    if (!whole || decimals.length === 0 || decimals.some((d) => d === undefined || d > 9)) return undefined;
    const text = `${whole.text}.${decimals.join('')}`;
    return { value: Number(text), text };
  }
  // Colloquial hundreds: "one fifty" = 150, "one twenty five" = 125.
  const first = UNITS[tokens[0] ?? ''];
  const second = TENS[tokens[1] ?? ''];
  if (first !== undefined && first >= 1 && first <= 9 && second !== undefined && tokens.length <= 3) {
    const rest = tokens.length === 3 ? UNITS[tokens[2]!] : 0;
    if (rest === undefined || rest > 9) return undefined;
    const value = first * 100 + second + rest;
    return { value, text: String(value) };
  }
  let total = 0;
  let current = 0;
  let lastKind: 'unit' | 'ten' | 'scale' | undefined;
  for (const token of tokens) {
    if (token === 'hundred') {
      // "five hundred five hundred" is a number said twice, not 50,500.
      if (current >= 100) return undefined;
      current = (current || 1) * 100;
      lastKind = 'scale';
    } else if (token === 'thousand') {
      total += (current || 1) * 1000;
      current = 0;
      lastKind = 'scale';
    } else if (TENS[token] !== undefined) {
      if (lastKind === 'ten' || (lastKind === 'unit' && current % 100 !== 0)) return undefined;
      current += TENS[token];
      lastKind = 'ten';
    } else if (UNITS[token] !== undefined) {
      if (lastKind === 'unit' || (lastKind === 'ten' && UNITS[token] >= 10)) return undefined;
      current += UNITS[token];
      lastKind = 'unit';
    } else {
      return undefined;
    }
  }
  const value = total + current;
  return { value, text: String(value) };
}

/** "nineteen eighty four" → 1984, "twenty eighteen" → 2018: years said in pairs. */
function yearOf(words: readonly string[]): Run | undefined {
  const century = words[0] === 'twenty' ? 20 : UNITS[words[0] ?? ''];
  const rest = readRun(words.slice(1));
  if (century === undefined || century < 10 || !rest || rest.value < 10 || rest.value > 99) return undefined;
  const value = century * 100 + rest.value;
  return { value, text: String(value) };
}

const bare = (token: string | undefined) => (token ?? '').toLowerCase().replace(/[.,;:?!]+$/, '');

/**
 * The spoken number that starts at `tokens[i]` (whitespace-separated words, punctuation attached):
 * its digits, the index just past it and any punctuation that closed it. Undefined when no number
 * starts there ("that one", a lone "one" with no unit after it).
 */
export function numberRunAt(tokens: readonly string[], i: number): { text: string; end: number; trailing: string } | undefined {
  const first = bare(tokens[i]);
  if (!(NUMBER_WORD.has(first) || (first === 'a' && bare(tokens[i + 1]) === 'hundred'))) return undefined;
  // The run: number words, with "and" / "point" allowed between two of them; punctuation ends it.
  const words: string[] = [];
  let j = i;
  let trailing = '';
  while (j < tokens.length) {
    const t = bare(tokens[j]);
    const joiner = (t === 'and' || t === 'point') && words.length > 0 && NUMBER_WORD.has(bare(tokens[j + 1]));
    if (!(NUMBER_WORD.has(t) || (t === 'a' && j === i) || joiner)) break;
    if (t !== 'and') words.push(t === 'a' ? 'one' : t);
    trailing = tokens[j]!.slice(t.length);
    j += 1;
    if (trailing) break;
  }
  const whole = readRun(words);
  const year = whole ? undefined : yearOf(words);
  // Numbers said one after another ("three four days", "four five six") are read one by one.
  const single = whole || year || words.length < 2 ? undefined : readRun(words.slice(0, 1));
  if (single) {
    j = i + 1;
    trailing = tokens[i]!.slice(bare(tokens[i]).length);
    words.length = 1;
  }
  const run = whole ?? year ?? single;
  const lone = words.length === 1 && (words[0] === 'one' || words[0] === 'zero');
  // "one to two puffs": a lone "one" opening a range is a number too.
  const range = /^(?:to|or|-)$/.test(bare(tokens[j])) && (NUMBER_WORD.has(bare(tokens[j + 1])) || /^\d/.test(bare(tokens[j + 1])));
  if (!run || (lone && (trailing !== '' || !(UNIT_AFTER.test(bare(tokens[j])) || range)))) return undefined;
  return { text: run.text, end: j, trailing };
}

export function numbersToDigits(text: string): string {
  const tokens = text.split(/\s+/).filter(Boolean);
  const out: string[] = [];
  let i = 0;
  while (i < tokens.length) {
    const run = numberRunAt(tokens, i);
    if (!run) {
      out.push(tokens[i]!);
      i += 1;
      continue;
    }
    out.push(run.text + run.trailing);
    i = run.end;
  }
  return out.join(' ').replace(/\b(\d+) out of (10|6|5)\b/g, '$1/$2');
}

/**
 * Words as search, validation hints and suggestions compare them: lower case, light stemming, and
 * a few clinician spellings folded onto ICD-10-CM's own words. The same functions read code titles
 * and what people type, so both sides always agree.
 */

/** Words that never decide a match. */
const STOPWORDS = new Set([
  'a',
  'an',
  'and',
  'the',
  'of',
  'in',
  'on',
  'to',
  'for',
  'by',
  'or',
  'as',
  'at',
  'with',
  'due',
  'from',
  'into',
  'is',
  'are',
  'be',
  'was',
  'were',
  'this',
  'that',
  'than',
  'per',
  'its',
  'has',
  'have',
  'had',
]);

/** Words that make a title general or residual rather than saying what the condition is. */
const MARKERS = new Set([
  'unspecified',
  'uncomplicated',
  'specified',
  'other',
  'site',
  'not',
  'elsewhere',
  'classified',
  'nos',
  'without',
  'so',
  'stated',
]);

/** Clinician spellings mapped onto the word ICD-10-CM titles use. */
const LEMMAS: ReadonlyMap<string, string> = new Map([
  ['diabetic', 'diabetes'],
  ['hypertensive', 'hypertension'],
  ['asthmatic', 'asthma'],
  ['anemic', 'anemia'],
  ['arthritic', 'arthritis'],
  ['ii', '2'],
  ['iii', '3'],
  ['renal', 'kidney'],
]);

function hasDigit(word: string): boolean {
  for (let i = 0; i < word.length; i += 1) {
    const c = word.charCodeAt(i);
    if (c >= 48 && c <= 57) return true;
  }
  return false;
}

export function stem(input: string): string {
  const word = LEMMAS.get(input) ?? input;
  if (word.length <= 3 || hasDigit(word)) return word;
  if (word.endsWith('ies') && word.length > 4) return `${word.slice(0, -3)}y`;
  if (word.endsWith('sses')) return word.slice(0, -2);
  if (word.endsWith('ss') || word.endsWith('us') || word.endsWith('is')) return word;
  if (word.endsWith('s')) return word.slice(0, -1);
  return word;
}

export const isStopword = (word: string): boolean => STOPWORDS.has(word);
export const isMarker = (stemmed: string): boolean => MARKERS.has(stemmed);

export interface Word {
  /** Lower-case word as written (apostrophes dropped). */
  readonly raw: string;
  readonly stem: string;
  /** Inside (parentheses) or [brackets]: ICD-10-CM's nonessential modifiers. */
  readonly parenthetical: boolean;
  /** Index of the clause (split at , ; : and sentence ends) the word is in. */
  readonly clause: number;
  /** Index of the part split only at ; : and sentence ends, where a cue like "denies" reaches across a list. */
  readonly span: number;
  /** True for the joined form of a hyphenated word ("gastro-esophageal" → "gastroesophageal"). */
  readonly joined: boolean;
  /** Character offset in the text, for ordering evidence. */
  readonly offset: number;
}

const isWordChar = (c: number): boolean => (c >= 97 && c <= 122) || (c >= 48 && c <= 57);

/**
 * Splits text into words. Hyphenated words give their parts and, marked `joined`, the whole, so
 * "gastro-esophageal" and "gastroesophageal" meet. Periods inside numbers ("9.2") do not end a clause.
 * A hand-written scanner: it reads every title of the code set when the index is built.
 */
export function words(text: string): Word[] {
  const out: Word[] = [];
  const lower = text.toLowerCase().replace(/['\u2019]/g, '');
  const n = lower.length;
  let depth = 0;
  let clause = 0;
  let span = 0;
  let i = 0;
  while (i < n) {
    const c = lower.charCodeAt(i);
    if (isWordChar(c)) {
      const start = i;
      const parts: string[] = [];
      let partStart = i;
      for (;;) {
        while (i < n && isWordChar(lower.charCodeAt(i))) i += 1;
        parts.push(lower.slice(partStart, i));
        // A hyphen joins only when a word character follows it.
        if (i + 1 < n && lower.charCodeAt(i) === 45 && isWordChar(lower.charCodeAt(i + 1))) {
          i += 1;
          partStart = i;
        } else break;
      }
      const parenthetical = depth > 0;
      for (const part of parts) out.push({ raw: part, stem: stem(part), parenthetical, clause, span, joined: false, offset: start });
      if (parts.length > 1) {
        const whole = parts.join('');
        out.push({ raw: whole, stem: stem(whole), parenthetical, clause, span, joined: true, offset: start });
      }
      continue;
    }
    if (c === 40 || c === 91)
      depth += 1; // ( [
    else if (c === 41 || c === 93)
      depth = Math.max(0, depth - 1); // ) ]
    else if (c === 44)
      clause += 1; // ,
    else if (
      c === 59 ||
      c === 58 ||
      c === 33 ||
      c === 63 ||
      (c === 46 && !(i + 1 < n && lower.charCodeAt(i + 1) >= 48 && lower.charCodeAt(i + 1) <= 57))
    ) {
      // ; : ! ? and a period not before a digit
      clause += 1;
      span += 1;
    }
    i += 1;
  }
  return out;
}

/** The words of a text, lower case and unstemmed, hyphenated words only joined; stopwords kept. */
export function plainWords(text: string): string[] {
  const all = words(text);
  const hyphenated = new Set(all.filter((w) => w.joined).map((w) => w.offset));
  return all.filter((w) => w.joined || !hyphenated.has(w.offset)).map((w) => w.raw);
}

/** The words of a query, lower case and unstemmed: stopwords dropped, hyphenated words only joined. */
export const queryWords = (text: string): string[] => plainWords(text).filter((w) => !isStopword(w));

/** A title split into what search indexes and what suggestions require. */
export interface TitleAnalysis {
  /** Every stem of the title (parenthetical ones too), unique: what search matches against. */
  readonly terms: readonly string[];
  /** Content stems a text must state for the title to apply: not stopwords, markers, parenthetical or after "without". */
  readonly required: readonly string[];
  /** Stems the title excludes ("without coma"): a text stating them positively rules the title out. */
  readonly excluded: readonly string[];
  /** "unspecified", "NOS", "not elsewhere classified", "site not specified", "uncomplicated". */
  readonly general: boolean;
  /** General because something was left unsaid ("uncomplicated" does not count): more specific siblings may apply. */
  readonly unspecified: boolean;
  /** "Other ...": the residual code of its group. */
  readonly residual: boolean;
}

export function analyseTitle(title: string): TitleAnalysis {
  const all = words(title);
  const terms = new Set<string>();
  const required = new Set<string>();
  const excluded = new Set<string>();
  let negatedClause = -1;
  for (const word of all) {
    if (isStopword(word.raw)) continue;
    terms.add(word.stem);
    if (word.raw === 'without') negatedClause = word.clause;
    if (word.parenthetical || word.joined || isMarker(word.stem)) continue;
    if (negatedClause === word.clause) excluded.add(word.stem);
    else required.add(word.stem);
  }
  return {
    terms: [...terms],
    required: [...required],
    excluded: [...excluded],
    general: /\b(unspecified|uncomplicated|nos|not elsewhere classified|site not specified)\b/i.test(title),
    unspecified: /\b(unspecified|nos|not elsewhere classified|site not specified)\b/i.test(title),
    residual: /^other\b/i.test(title),
  };
}

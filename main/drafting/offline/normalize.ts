import { numbersToDigits } from './number-words.js';

/**
 * Spoken text cleaned toward written text: tokeniser spacing undone ("do n't" → "don't"), fillers
 * and false starts dropped ("um", "uh", "mon-", "i , i , i've"), contractions of speech expanded
 * ("gon na" → "going to"), numbers in digits. Lower case is kept; style.ts capitalises at the end.
 */
const REPLACEMENTS: readonly (readonly [RegExp, string])[] = [
  [/\s+([,.?!;:%])/g, '$1'],
  [/\b(\w+) n't\b/g, "$1n't"],
  [/\bca n't\b/g, "can't"],
  [/\s+'(s|re|ve|ll|d|m)\b/g, "'$1"],
  [/(\d)\s+-\s*(?=(?:year|month|week|day)s?-old)/g, '$1-'],
  [/\bgon na\b|\bgonna\b/g, 'going to'],
  [/\bwan na\b|\bwanna\b/g, 'want to'],
  [/\bgot ta\b|\bgotta\b/g, 'got to'],
  [/\bhave ta\b|\bhafta\b/g, 'have to'],
  [/\bkinda\b/g, 'kind of'],
  [/\bsorta\b/g, 'sort of'],
  [/\blemme\b/g, 'let me'],
  [/\bgimme\b/g, 'give me'],
  [/(?<![a-z])'?cause\b/g, 'because'],
  [/\bwhats\b/g, "what's"],
  [/\bdont\b/g, "don't"],
  [/\bim\b/g, "i'm"],
  [/\bive\b/g, "i've"],
  [/\bdidnt\b/g, "didn't"],
  [/\bokay\b|\bok\b|\bo\.k\./g, 'okay'],
  [/\ball right\b/g, 'alright'],
];

const FILLERS = /(?:^|\s)(?:u+m+|u+h+m*|e+r+m*|a+h+|h+m+|m+-?h+m+|mhm|uh-huh|um-hum|huh)(?=[\s,.?!]|$)[,.]?/g;
const HEDGES = /(?:^|(?<=[\s,]))(?:you know|i mean|like i said|you see|sort of like)(?:,|(?=\s))/g;
/**
 * "mon- , i" and "ex- exerting": a word cut off and restarted. Only short letter fragments: a whole
 * word broken off ("twice daily-") and numbers ("every 4- 6 hours") stay.
 */
const FALSE_START = /\b[a-z]{1,4}-(?=\s|,|$)\s*,?/g;
/** "i , i , i've", "the , the , the last": the same word said again while thinking. */
const STUTTER = /\b(\w+(?:'\w+)?)((?:[\s,]+\1\b)+)/g;
/** "have you have you been able": a two-word restart. */
const REPEATED_PAIR = /\b(\w+[\s,]+\w+)(?:[\s,]+\1\b)+/g;

export function normalizeSpeech(raw: string): string {
  // "IM" in capitals is the route, not speech-to-text's "im" for "I'm": kept as "i.m" once lower-cased.
  let text = ` ${raw.replace(/\bIM\b/g, 'i.m').toLowerCase()} `;
  for (const [pattern, replacement] of REPLACEMENTS) text = text.replace(pattern, replacement);
  // "acute lumbar , um , strain": a filler between commas inside a phrase leaves neither comma.
  text = text.replace(
    /,\s*(?:u+m+|u+h+)\s*,(?!\s*(?:your|my|his|her|their|the|this|that|i|we|you|he|she|they|it|so|and|but|okay)\b)\s*/g,
    ' ',
  );
  // "i-i'd like to": a stammered first letter.
  text = text.replace(/\b([a-z])-(?=\1)/g, '');
  text = text.replace(FALSE_START, ' ').replace(FILLERS, ' ').replace(HEDGES, ' ');
  text = text.replace(STUTTER, '$1').replace(REPEATED_PAIR, '$1');
  // "i , i've" after the stutter pass: a pronoun restarted as its contraction.
  text = text.replace(/\b(i|you|we|it|he|she|they)[\s,]+(?=\1')/g, '');
  text = numbersToDigits(text).replace(/\b(\d+(?:\.\d+)?)(mg|mcg|ml|kg|lbs?|cm|mm)\b/g, '$1 $2');
  return text
    .replace(/\s+([,.?!;:%])/g, '$1')
    .replace(/([,;:])(?:\s*[,;:])+/g, '$1')
    .replace(/(^|[.?!]\s*)[,;:]\s*/g, '$1')
    .replace(/\s+/g, ' ')
    .trim();
}

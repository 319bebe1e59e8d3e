/**
 * Moves speech into the third person a note uses: the patient's "I" and the clinician's "you"
 * both become the patient (he / she / they), with the verb agreeing ("I have" → "she has",
 * "you were" → "they were"). The clinician's own "I" stays: notes speak for their author.
 */
export interface Pronouns {
  readonly subject: string;
  readonly object: string;
  readonly possessive: string;
  readonly possessivePronoun: string;
  readonly reflexive: string;
  readonly plural: boolean;
}

export const PRONOUNS = {
  female: { subject: 'she', object: 'her', possessive: 'her', possessivePronoun: 'hers', reflexive: 'herself', plural: false },
  male: { subject: 'he', object: 'him', possessive: 'his', possessivePronoun: 'his', reflexive: 'himself', plural: false },
  unknown: { subject: 'they', object: 'them', possessive: 'their', possessivePronoun: 'theirs', reflexive: 'themselves', plural: true },
} as const satisfies Record<string, Pronouns>;

const ADVERBS = new Set(
  'just really also still usually never always actually definitely probably sometimes only even already mostly generally normally certainly honestly basically literally currently recently typically occasionally rarely hardly kind sort of mainly mostly first then finally'.split(
    ' ',
  ),
);
const UNCHANGED = new Set(
  "daily nightly weekly monthly twice once can could will would should might may must did didn't was wasn't had hadn't can't won't wouldn't couldn't shouldn't went took felt got saw fell ate came thought made ran hurt broke lost gave began kept left slept woke told said knew found bought put tried used became brought heard noticed started stopped".split(
    ' ',
  ),
);
const SINGULAR: Record<string, string> = {
  am: 'is',
  are: 'is',
  were: 'was',
  have: 'has',
  do: 'does',
  "don't": "doesn't",
  "haven't": "hasn't",
  "aren't": "isn't",
  "weren't": "wasn't",
  go: 'goes',
  "'m": 'is',
  "i'm": 'is',
  "'ve": 'has',
  was: 'was',
};
const PLURAL: Record<string, string> = { am: 'are', was: 'were', "wasn't": "weren't", "'m": 'are' };

/** Words that follow a subject but are not verbs ("you and I", "you all"): left alone. */
const NOT_VERB = new Set(
  'and or but on in at to for with from of by the a an all both guys too here there again so as if because who that this what how when where which then now also not no yes okay alright right either neither just really'.split(
    ' ',
  ),
);

function singularVerb(word: string): string {
  if (SINGULAR[word]) return SINGULAR[word];
  if (NOT_VERB.has(word) || UNCHANGED.has(word) || /ed$|[^s]s$/.test(word) || !/^[a-z]+$/.test(word) || word.length < 2) return word;
  if (/(?:s|sh|ch|x|z|o)$/.test(word)) return `${word}es`;
  if (/[^aeiou]y$/.test(word)) return `${word.slice(0, -1)}ies`;
  return `${word}s`;
}

/** Conjugates the verb after a new third-person subject at `tokens[from]`, skipping adverbs. */
function agree(tokens: string[], from: number, p: Pronouns): void {
  let k = from;
  while (k < tokens.length && ADVERBS.has(strip(tokens[k]!).word)) k += 1;
  if (k >= tokens.length) return;
  const { word, tail } = strip(tokens[k]!);
  const verb = p.plural ? (PLURAL[word] ?? (word === 'is' ? 'are' : word)) : singularVerb(word);
  tokens[k] = verb + tail;
}

function strip(token: string): { word: string; tail: string } {
  const match = /^(.*?)([.,;:?!]*)$/.exec(token)!;
  return { word: match[1]!, tail: match[2]! };
}

const be = (p: Pronouns) => (p.plural ? 'are' : 'is');
const have = (p: Pronouns) => (p.plural ? 'have' : 'has');

/** "I have had a cough" → "she has had a cough"; "we ate out" → "they ate out". */
export function firstToThird(text: string, p: Pronouns): string {
  const tokens = text.split(' ');
  for (let i = 0; i < tokens.length; i += 1) {
    const { word, tail } = strip(tokens[i]!);
    switch (word) {
      case 'i':
        tokens[i] = p.subject + tail;
        if (!tail) agree(tokens, i + 1, p);
        break;
      case "i'm":
        tokens[i] = `${p.subject} ${be(p)}${tail}`;
        break;
      case "i've":
        tokens[i] = `${p.subject} ${have(p)}${tail}`;
        break;
      case "i'd":
        tokens[i] = `${p.subject} would${tail}`;
        break;
      case "i'll":
        tokens[i] = `${p.subject} will${tail}`;
        break;
      case 'me':
        tokens[i] = p.object + tail;
        break;
      case 'my':
        tokens[i] = p.possessive + tail;
        break;
      case 'mine':
        tokens[i] = p.possessivePronoun + tail;
        break;
      case 'myself':
        tokens[i] = p.reflexive + tail;
        break;
      case 'we':
        tokens[i] = `they${tail}`;
        break;
      case "we're":
        tokens[i] = `they are${tail}`;
        break;
      case "we've":
        tokens[i] = `they have${tail}`;
        break;
      case 'our':
        tokens[i] = `their${tail}`;
        break;
      case 'us':
        tokens[i] = `them${tail}`;
        break;
      case 'ourselves':
        tokens[i] = `themselves${tail}`;
        break;
      default:
        break;
    }
  }
  return tokens.join(' ');
}

/** Words after which "you" is an object ("call you", "for you"), not a subject. */
const BEFORE_OBJECT = new Set(
  'to for with at on about from by of into give gave tell told see saw call let send get ask help refer put want make keep bring show thank meet examine check start prescribe advise bother remind follow diagnose'.split(
    ' ',
  ),
);

const AFTER_OBJECT = new Set(['on', 'in', 'at', 'back', 'up', 'down', 'out', 'over', 'off', 'through']);

/** "your lungs are clear" → "his lungs are clear"; "you have a history of" → "she has a history of". */
export function secondToThird(text: string, p: Pronouns): string {
  const tokens = text.split(' ');
  for (let i = 0; i < tokens.length; i += 1) {
    const { word, tail } = strip(tokens[i]!);
    switch (word) {
      case 'you': {
        const prev = i > 0 ? strip(tokens[i - 1]!).word : '';
        const next = i + 1 < tokens.length ? strip(tokens[i + 1]!).word : '';
        // "have you on lisinopril", "see you back": a preposition after "you" makes it an object.
        if (BEFORE_OBJECT.has(prev) || (tail && tail !== ',') || (i > 0 && AFTER_OBJECT.has(next))) {
          tokens[i] = p.object + tail;
        } else {
          tokens[i] = p.subject + tail;
          if (!tail) agree(tokens, i + 1, p);
        }
        break;
      }
      case "you're":
        tokens[i] = `${p.subject} ${be(p)}${tail}`;
        break;
      case "you've":
        tokens[i] = `${p.subject} ${have(p)}${tail}`;
        break;
      case "you'll":
        tokens[i] = `${p.subject} will${tail}`;
        break;
      case "you'd":
        tokens[i] = `${p.subject} would${tail}`;
        break;
      case 'your':
        tokens[i] = p.possessive + tail;
        break;
      case 'yours':
        tokens[i] = p.possessivePronoun + tail;
        break;
      case 'yourself':
        tokens[i] = p.reflexive + tail;
        break;
      default:
        break;
    }
  }
  return tokens.join(' ');
}

/** A finished sentence opened on the patient rather than a pronoun: "Their blood pressure…" → "The patient's blood pressure…". */
export function openedOnPatient(sentence: string): string {
  const possessive = /^(?:Their|His|Her) (?=[a-z])/.exec(sentence);
  if (possessive) return `The patient's ${sentence.slice(possessive[0].length)}`;
  const subject = /^(They|He|She) (?=[a-z])/.exec(sentence);
  if (!subject) return sentence;
  const tokens = sentence.slice(subject[0].length).split(' ');
  // "they have" → "the patient has"; "he has" is already singular.
  if (subject[1] === 'They') agree(tokens, 0, PRONOUNS.male);
  return `The patient ${tokens.join(' ')}`;
}

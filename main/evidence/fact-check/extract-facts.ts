import { drugKey } from './extract-medications.js';
import { frequencyAt } from './frequencies.js';
import type { Mention } from './negation.js';
import { mentions, saysNo, states } from './negation.js';
import { routeAt } from './routes.js';
import type { Side } from './laterality.js';
import { sideAt } from './laterality.js';
import type { Token } from './tokens.js';
import { tokenize } from './tokens.js';
import { unitAt } from './units.js';

/**
 * The facts of one text, in one pass over its tokens. A dose, frequency or route belongs to the
 * last medicine named before it in the same text ("metformin 500 mg twice daily and lisinopril 10 mg
 * daily": "twice daily" is metformin's), or to the one right after "of" ("500 mg of metformin");
 * with no medicine named it belongs to none and can back any.
 */
export interface Placed {
  readonly key: string;
  /** Token range [from, to). */
  readonly from: number;
  readonly to: number;
}

export interface Regimen extends Placed {
  readonly kind: 'dose' | 'frequency' | 'route';
  readonly drug: string | undefined;
  /** Dose only: the amount (digits, "1-2" for a range), the unit key and where the unit starts; `key` is "amount unit". */
  readonly amount?: string;
  readonly unit?: string;
  readonly unitFrom?: number;
}

export interface TextFacts {
  readonly text: string;
  readonly tokens: readonly Token[];
  readonly medications: readonly Placed[];
  readonly regimen: readonly Regimen[];
  /** Numbers that are not part of a dose or a frequency ("58-year-old", "120/80", "A1c 7.2"). */
  readonly numbers: readonly Placed[];
  /** Every number said, as digits, with the parts of "120/80" on their own too; and the medicine each belongs to. */
  readonly amounts: ReadonlyMap<string, readonly (string | undefined)[]>;
  readonly sides: readonly (Placed & { key: Side })[];
  readonly words: ReadonlySet<string>;
  readonly mentions: readonly Mention[];
  /** The text says "no" outside a question. */
  readonly saysNo: boolean;
  /** The text states something outside a question. */
  readonly states: boolean;
}

const DETERMINERS = new Set(['the', 'your', 'my', 'his', 'her', 'their', 'a', 'some']);
/** Words after a drug's name that are part of it: "morphine sulfate", "metoprolol succinate", "nifedipine ER". */
const DRUG_FORMS = new Set('sulfate succinate tartrate hydrochloride hcl cypionate sodium er xr sr cr xl la dr ec odt'.split(' '));
/** Units that count what is taken ("2 tablets") rather than how strong it is ("500 mg"): one of each is one regimen. */
const COUNTS = new Set(['tablet', 'capsule', 'pill', 'puff', 'drop', 'spray', 'patch']);

/**
 * The medicine named at `i`, with its extent: "vitamin d3", "tylenol #3" / "tylenol number 3"
 * (a product of its own, not acetaminophen), "morphine sulfate".
 */
function medicationAt(tokens: readonly Token[], i: number, beforeDose: (k: number) => boolean): Placed | undefined {
  const word = tokens[i]!.norm;
  const next = tokens[i + 1];
  if (word === 'vitamin' && next?.kind === 'word' && /^[a-z]\d{0,2}$/.test(next.norm))
    return { key: `vitamin ${next.norm}`, from: i, to: i + 2 };
  const key = drugKey(word, beforeDose(i + 1));
  if (!key) return undefined;
  const numbered = (next?.norm === '#' || next?.norm === 'number') && tokens[i + 2]?.kind === 'number';
  if (numbered) return { key: `${word} #${tokens[i + 2]!.norm}`, from: i, to: i + 3 };
  let to = i + 1;
  while (tokens[to]?.kind === 'word' && DRUG_FORMS.has(tokens[to]!.norm)) to += 1;
  return { key, from: i, to };
}
const LINKS = new Set(['to', 'at', 'of', 'is', 'was', 'on']);

/** A dose starts at `i`: a number, or a range ("1 to 2", "15-20"), and its unit. */
function doseAt(tokens: readonly Token[], i: number): { amount: string; unit: string; unitFrom: number; end: number } | undefined {
  const first = tokens[i];
  if (first?.kind !== 'number' || first.norm.includes('/')) return undefined;
  const single = unitAt(tokens, i + 1);
  if (single) return { amount: first.norm, unit: single.key, unitFrom: single.start, end: single.end };
  const second = tokens[i + 2];
  if (!['-', 'to', 'or'].includes(tokens[i + 1]?.norm ?? '') || second?.kind !== 'number' || second.norm.includes('/')) return undefined;
  const unit = unitAt(tokens, i + 3);
  return unit ? { amount: `${first.norm}-${second.norm}`, unit: unit.key, unitFrom: unit.start, end: unit.end } : undefined;
}

export function extractFacts(text: string): TextFacts {
  const tokens = tokenize(text);
  const medications: Placed[] = [];
  const regimen: Regimen[] = [];
  const numbers: Placed[] = [];
  const amounts = new Map<string, (string | undefined)[]>();
  const sides: (Placed & { key: Side })[] = [];
  const words = new Set<string>();
  let drug: string | undefined;
  /** Where the current medicine was named. */
  let lastNamed = -1;
  /** Where the last amount or medicine ended: "a day" right there is a schedule. */
  let amountEnd = -1;
  const addAmount = (value: string, owner: string | undefined) => {
    for (const part of new Set([value, ...value.split('/')])) {
      const owners = amounts.get(part);
      if (!owners) amounts.set(part, [owner]);
      else if (!owners.includes(owner)) owners.push(owner);
    }
  };

  let i = 0;
  while (i < tokens.length) {
    const t = tokens[i]!;
    if (t.kind === 'number') {
      const frequency = frequencyAt(tokens, i, false);
      if (frequency) {
        regimen.push({ kind: 'frequency', key: frequency.key, drug, from: i, to: frequency.end });
        for (let k = i; k < frequency.end; k += 1) if (tokens[k]!.kind === 'number') addAmount(tokens[k]!.norm, drug);
        i = frequency.end;
        continue;
      }
      const dose = doseAt(tokens, i);
      if (dose) {
        let owner = drug;
        if (tokens[dose.end]?.norm === 'of') {
          let k = dose.end + 1;
          if (DETERMINERS.has(tokens[k]?.norm ?? '')) k += 1;
          const named = tokens[k]?.kind === 'word' ? medicationAt(tokens, k, () => true) : undefined;
          owner = named?.key ?? owner;
        } else if (owner !== undefined) {
          // A second strength (or count) after the first belongs to a medicine this reader does not know
          // ("meloxicam 15 mg … along with ultram, 50 mg"): from here on, to none.
          const kind = COUNTS.has(dose.unit) ? 'count' : 'strength';
          if (
            regimen.some(
              (r) => r.kind === 'dose' && r.drug === owner && r.from > lastNamed && (COUNTS.has(r.unit!) ? 'count' : 'strength') === kind,
            )
          ) {
            drug = undefined;
            owner = undefined;
          }
        }
        regimen.push({
          kind: 'dose',
          key: `${dose.amount} ${dose.unit}`,
          amount: dose.amount,
          unit: dose.unit,
          unitFrom: dose.unitFrom,
          drug: owner,
          from: i,
          to: dose.end,
        });
        for (const part of dose.amount.split('-')) addAmount(part, owner);
        i = dose.end;
        amountEnd = i;
        continue;
      }
      numbers.push({ key: t.norm, from: i, to: i + 1 });
      addAmount(t.norm, drug);
      i += 1;
      amountEnd = i;
      continue;
    }
    if (t.kind === 'word') {
      words.add(t.norm);
      const frequency = frequencyAt(tokens, i, amountEnd === i);
      if (frequency) {
        regimen.push({ kind: 'frequency', key: frequency.key, drug, from: i, to: frequency.end });
        i = frequency.end;
        continue;
      }
      const route = routeAt(tokens, i);
      if (route) {
        regimen.push({ kind: 'route', key: route.key, drug, from: i, to: route.end });
        i = route.end;
        continue;
      }
      const side = sideAt(tokens, i);
      if (side) sides.push({ key: side, from: i, to: i + 1 });
      const named = medicationAt(
        tokens,
        i,
        (k) => doseAt(tokens, k) !== undefined || (LINKS.has(tokens[k]?.norm ?? '') && doseAt(tokens, k + 1) !== undefined),
      );
      if (named) {
        medications.push(named);
        drug = named.key;
        lastNamed = i;
        i = named.to;
        amountEnd = i;
        continue;
      }
    }
    i += 1;
  }
  return {
    text,
    tokens,
    medications,
    regimen,
    numbers,
    amounts,
    sides,
    words,
    mentions: mentions(tokens),
    saysNo: saysNo(tokens),
    states: states(tokens),
  };
}

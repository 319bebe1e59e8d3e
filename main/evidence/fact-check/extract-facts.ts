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
  /** Dose only: the amount (digits) and the unit key; `key` is "amount unit". */
  readonly amount?: string;
  readonly unit?: string;
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
const LINKS = new Set(['to', 'at', 'of', 'is', 'was', 'on']);

/** A dose starts at `i`: a number and its unit. */
const doseAt = (tokens: readonly Token[], i: number) => (tokens[i]?.kind === 'number' ? unitAt(tokens, i + 1) : undefined);

export function extractFacts(text: string): TextFacts {
  const tokens = tokenize(text);
  const medications: Placed[] = [];
  const regimen: Regimen[] = [];
  const numbers: Placed[] = [];
  const amounts = new Map<string, (string | undefined)[]>();
  const sides: (Placed & { key: Side })[] = [];
  const words = new Set<string>();
  let drug: string | undefined;
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
      const unit = doseAt(tokens, i);
      if (unit) {
        let owner = drug;
        if (tokens[unit.end]?.norm === 'of') {
          let k = unit.end + 1;
          if (DETERMINERS.has(tokens[k]?.norm ?? '')) k += 1;
          owner = (tokens[k]?.kind === 'word' ? drugKey(tokens[k]!.norm, true) : undefined) ?? owner;
        }
        regimen.push({ kind: 'dose', key: `${t.norm} ${unit.key}`, amount: t.norm, unit: unit.key, drug: owner, from: i, to: unit.end });
        addAmount(t.norm, owner);
        i = unit.end;
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
      const dosed = doseAt(tokens, i + 1) ?? (LINKS.has(tokens[i + 1]?.norm ?? '') ? doseAt(tokens, i + 2) : undefined);
      const named = drugKey(t.norm, dosed !== undefined);
      if (named) {
        medications.push({ key: named, from: i, to: i + 1 });
        drug = named;
        amountEnd = i + 1;
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

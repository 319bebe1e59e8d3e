import { PhraseTable } from './phrases.js';
import type { PhraseMatch } from './phrases.js';
import type { Token } from './tokens.js';

/**
 * Units a dose or a body measure is said in, one key per unit: mg = milligram(s) = "M G"; mcg =
 * microgram(s) = µg = ug; g = gram(s) = gm; mL = milliliter(s) = cc; units = unit(s); IU =
 * international unit(s) (not the same key as "units"); mEq; tablet(s) = tab(s); capsule(s) = cap(s);
 * pill(s); puff(s); drop(s) = gtt; spray(s); patch(es); kg = kilogram(s) = kilo(s); lb = pound(s) =
 * lbs; mg/dL. Units the drafter adds to a vital sign from its range (mmHg, bpm, °F) are not units here.
 */
const TABLE = new PhraseTable([
  ['mg/dl', ['(mg|mgs|milligram|milligrams) / (dl|deciliter)', '(milligram|milligrams) per deciliter']],
  ['mg/kg', ['(mg|mgs|milligram|milligrams) / (kg|kilogram)', '(milligram|milligrams) per (kg|kilogram)']],
  ['mg', ['mg', 'mgs', 'milligram', 'milligrams', 'm g']],
  ['mcg', ['mcg', 'mcgs', 'microgram', 'micrograms', 'µg', 'ug']],
  ['g', ['g', 'gm', 'gms', 'gram', 'grams']],
  ['ml', ['ml', 'mls', 'milliliter', 'milliliters', 'millilitre', 'millilitres', 'cc', 'ccs']],
  ['l', ['liter', 'liters', 'litre', 'litres']],
  ['units', ['unit', 'units']],
  ['iu', ['iu', 'international (unit|units)']],
  ['meq', ['meq', 'milliequivalent', 'milliequivalents']],
  ['tablet', ['tablet', 'tablets', 'tab', 'tabs']],
  ['capsule', ['capsule', 'capsules', 'cap', 'caps']],
  ['pill', ['pill', 'pills']],
  ['puff', ['puff', 'puffs']],
  ['drop', ['drop', 'drops', 'gtt', 'gtts']],
  ['spray', ['spray', 'sprays']],
  ['patch', ['patch', 'patches']],
  ['kg', ['kg', 'kgs', 'kilogram', 'kilograms', 'kilo', 'kilos']],
  ['lb', ['lb', 'lbs', 'pound', 'pounds']],
]);

/** The unit right after a number at `i - 1` ("500 mg", "500-mg"), if any, with where it starts. */
export function unitAt(tokens: readonly Token[], i: number): (PhraseMatch & { start: number }) | undefined {
  const start = tokens[i]?.norm === '-' ? i + 1 : i;
  if (!tokens[start]) return undefined;
  const found = TABLE.matchAt(tokens, start);
  return found && { ...found, start };
}

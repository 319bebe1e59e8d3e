/**
 * Whether a drafted assessment and plan heads the problems the reference note's assessment names
 * (issue 16): a reference problem is found when some drafted problem heading names the same thing —
 * a word in common other than the generic ones (side, acuity, "pain", "history" …), singular and
 * plural alike, or a lay and a clinical name of the same condition ("blood pressure" for
 * hypertension). Reference problems come from the hand-coded gold (test/fixtures/gold-codes), those
 * of kind 'assessment'.
 */
const GENERIC = new Set(
  'a an and the of with to for in on from by like likely possible probable status post history right left bilateral acute chronic subacute mild moderate severe type stage new recurrent pain painful problem issue follow up visit'.split(
    ' ',
  ),
);

/** Lay and clinical names of one condition; a word of each group stands for the others. */
const SAME_CONDITION: readonly (readonly string[])[] = [
  ['hypertension', 'pressure', 'htn'],
  ['hyperlipidemia', 'cholesterol', 'lipid', 'lipids', 'dyslipidemia'],
  ['diabetes', 'diabetic', 'sugar', 'sugars', 'a1c', 'dm', 'mellitus'],
  ['chf', 'heart failure', 'failure', 'cardiomyopathy'],
  ['reflux', 'gerd', 'heartburn', 'gastroesophageal'],
  ['nephrolithiasis', 'kidney stone', 'stone', 'stones', 'renal colic'],
  ['renal', 'kidney', 'kidneys'],
  ['arthritis', 'osteoarthritis', 'degenerative'],
  ['annual', 'wellness', 'maintenance', 'checkup'],
  ['depression', 'depressive', 'mood'],
  ['anxiety', 'anxious', 'panic'],
  ['fracture', 'broken', 'break'],
  ['murmur', 'regurgitation'],
  ['cancer', 'carcinoma', 'malignancy', 'tumor', 'adenoma', 'mass'],
];

const stem = (word: string) => word.replace(/(?:es|s)$/, '').replace(/'s$/, '');

function keys(name: string): Set<string> {
  const text = name.toLowerCase().replace(/[^a-z0-9' -]/g, ' ');
  const words = text.split(/[\s-]+/).filter((w) => w && !GENERIC.has(w));
  const out = new Set(words.map(stem));
  SAME_CONDITION.forEach((group, i) => {
    if (group.some((term) => (term.includes(' ') ? text.includes(term) : words.includes(term)))) out.add(`#${i}`);
  });
  return out;
}

export function problemHeaded(reference: string, headings: readonly string[]): boolean {
  const wanted = keys(reference);
  return headings.some((h) => [...keys(h)].some((k) => wanted.has(k)));
}

export interface HeadingTally {
  problems: number;
  headed: number;
  encounters: number;
  /** Encounters where every reference problem is headed. */
  allHeaded: number;
}

export const emptyHeadingTally = (): HeadingTally => ({ problems: 0, headed: 0, encounters: 0, allHeaded: 0 });

export function tallyHeadings(tally: HeadingTally, referenceProblems: readonly string[], headings: readonly string[]): HeadingTally {
  if (referenceProblems.length === 0) return tally;
  const found = referenceProblems.filter((p) => problemHeaded(p, headings)).length;
  tally.problems += referenceProblems.length;
  tally.headed += found;
  tally.encounters += 1;
  if (found === referenceProblems.length) tally.allHeaded += 1;
  return tally;
}

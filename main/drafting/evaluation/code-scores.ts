/**
 * Diagnosis codes against a hand-coded gold standard (test/fixtures/gold-codes): for each encounter,
 * the first `k` suggested codes. A gold problem is found when its preferred code or one of its
 * acceptable alternates is among them (recall@k); a suggested code is right when it is one of some
 * gold problem's codes (precision@k). Codes compare without their dot.
 */
export interface GoldProblem {
  readonly problem: string;
  /**
   * assessment: a problem the note's assessment names; status: a Z code the note discusses;
   * documented: a condition worked up or treated in the plan.
   */
  readonly kind: 'assessment' | 'status' | 'documented';
  readonly code: string;
  readonly alternates: readonly string[];
  readonly evidence: readonly string[];
}

export interface CodeTally {
  /** Gold problems, and of them those found in the first k suggestions. */
  problems: number;
  found: number;
  /** The same for the problems the assessment names. */
  assessmentProblems: number;
  assessmentFound: number;
  /** Codes suggested (at most k per encounter), and of them those that are some gold problem's code. */
  suggested: number;
  right: number;
}

export const emptyTally = (): CodeTally => ({ problems: 0, found: 0, assessmentProblems: 0, assessmentFound: 0, suggested: 0, right: 0 });

const bare = (code: string) => code.replace('.', '').toUpperCase();

export function tallyCodes(tally: CodeTally, gold: readonly GoldProblem[], suggested: readonly string[], k = 5): CodeTally {
  const top = new Set(suggested.slice(0, k).map(bare));
  const accepted = gold.map((p) => new Set([p.code, ...p.alternates].map(bare)));
  for (const [i, problem] of gold.entries()) {
    const found = [...accepted[i]!].some((c) => top.has(c));
    tally.problems += 1;
    if (found) tally.found += 1;
    if (problem.kind === 'assessment') {
      tally.assessmentProblems += 1;
      if (found) tally.assessmentFound += 1;
    }
  }
  tally.suggested += top.size;
  for (const code of top) if (accepted.some((set) => set.has(code))) tally.right += 1;
  return tally;
}

const ratio = (n: number, d: number) => (d === 0 ? null : Number((n / d).toFixed(3)));

export function codeFigures(t: CodeTally): Record<string, number | null> {
  return {
    recallAt5: ratio(t.found, t.problems),
    recallAt5AssessmentProblems: ratio(t.assessmentFound, t.assessmentProblems),
    precisionAt5: ratio(t.right, t.suggested),
    goldProblems: t.problems,
    suggested: t.suggested,
  };
}

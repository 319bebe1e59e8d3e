import type { DraftedProblem } from '../drafted-content.js';
import { CONDITIONS, SYMPTOMS, isClinicalWord } from './lexicon.js';
import { inClinicalRegister } from './register.js';
import { SectionCollector } from './section-collector.js';
import { finish } from './style.js';

/**
 * The problems of a visit for a problem-oriented assessment and plan (issue 16): each named by the
 * clinician — announced in the plan ("for your second problem, your hypertension"), asked about in
 * the history ("how are you doing with the congestive heart failure?") or stated as an impression
 * ("this is consistent with a medial meniscus tear") — with the assessment and plan sentences said
 * while it was the one under discussion. Problems the plan takes up come in the plan's order, then
 * those only named earlier, in the order named.
 */

/** Lay names a heading writes as the diagnosis they mean; only unambiguous ones. */
const CLINICAL_NAME: readonly (readonly [RegExp, string])[] = [
  [/^(?:high|elevated) blood pressures?$/, 'hypertension'],
  [/^(?:high|elevated) cholesterol$/, 'hyperlipidemia'],
  [/^(?:acid )?reflux$/, 'gastroesophageal reflux'],
  [/^heart failure$/, 'heart failure'],
];

/** Words that say nothing about which problem it is: two problems sharing only these are different. */
const GENERIC = new Set(
  'problem issue issues concern condition disease disorder chronic acute history right left bilateral lower upper pain pains mild moderate severe type new recurrent the of and with your his her their my a an'.split(
    ' ',
  ),
);

/** A problem phrase as a heading says it: "your high blood pressure" → "hypertension". */
export function problemName(phrase: string): string | undefined {
  const words = phrase
    .toLowerCase()
    .replace(/[^a-z0-9' -]/g, ' ')
    .replace(/^(?:that\s+)?(?:(?:you|he|she|they)(?:'ve|'s| have| has)?\s+(?:had|have|has|got|developed)\s+)/, '')
    .replace(
      /^(?:(?:for|regarding|about|with|in terms of|as far as|as for|and|so|your|the|his|her|their|my|a|an|some|that|this|episode of|an episode of)\s+)+/,
      '',
    )
    .replace(/\s+(?:and|or|as well as|with)\s+(?:your|the|his|her|their)\s.*$/, '')
    .replace(
      /^(?:(?:a|the)\s+)?(?:condition|something|disease|disorder)\s+(?:(?:that\s+)?(?:we|they|i|doctors)\s+call|called|known as)\s+/,
      '',
    )
    .replace(/\s+(?:problem|issue|concern|standpoint|perspective)s?$/, '')
    .trim()
    .split(/\s+/)
    .filter(Boolean);
  while (words.length > 0 && !isClinicalWord(words.at(-1)!)) words.pop();
  const name = words.join(' ');
  if (name === '' || words.length > 6 || !words.some((w) => !GENERIC.has(w))) return undefined;
  for (const [lay, clinical] of CLINICAL_NAME) if (lay.test(name)) return clinical;
  return name;
}

const keyOf = (name: string) => new Set(name.split(' ').filter((w) => !GENERIC.has(w)));

/** The history's way of naming a problem: "how are you doing with the congestive heart failure?", "in terms of your depression". */
const ASKED_ABOUT =
  /\b(?:how (?:are|have) you (?:been )?(?:doing|feeling|managing) with|how(?:'s| is)|in terms of|regarding|with regards? to|as far as|as for|moving on to|talk about)\s+(?:your|the|his|her|their)\s+([a-z0-9' -]{3,50})/;

/** "this is consistent with a medial meniscus tear", "my impression is a lumbar strain", "you have pneumonia". */
const IMPRESSION =
  /\b(?:consistent with|suggestive of|diagnos(?:is|ed) (?:is|of|with)|diagnose (?:you|him|her|them) with|impression is|indicative of|what i see (?:here )?is|(?:i think|likely|probably) (?:you have|this is|it's|it is|that's|you've got|he has|she has|they have)|(?:you|he|she|they) (?:likely |probably )?(?:have|has|'ve got) (?:developed )?)\s+(?:a |an |some |the |what we call (?:a |an )?)?([a-z0-9' -]{3,60})/;

/** "you've had this chronic back pain that we've been dealing with": a condition the clinician says the patient has. */
const HAS_HAD = /\byou(?:'ve| have) (?:had|got|been diagnosed with) (?:this |a |an |some |the )?((?:chronic )?[a-z0-9' -]{3,50})/;

/** A problem the sentence names in passing in the history, when it is a condition. */
export function problemAskedAbout(sentence: string): string | undefined {
  const m = ASKED_ABOUT.exec(sentence) ?? HAS_HAD.exec(sentence);
  const name = m ? problemName(m[1]!.split(/,|\b(?:and|that|which|at|for|since|in|i|you|how|so)\b/)[0]!) : undefined;
  const chronic = name !== undefined && /^chronic \w+ pain$/.test(name);
  return name && (chronic || name.split(' ').some((w) => CONDITIONS.has(w) && !GENERIC.has(w))) ? name : undefined;
}

/** The diagnosis a sentence states as the clinician's impression, when it names a condition or symptom. */
export function impressionIn(sentence: string): string | undefined {
  const m = IMPRESSION.exec(sentence);
  const name = m ? problemName(m[1]!.split(/,|\b(?:and|but|so|which|that|because|in|on|of the|from|since|for)\b/)[0]!) : undefined;
  return name && name.split(' ').some((w) => (CONDITIONS.has(w) || SYMPTOMS.has(w)) && !GENERIC.has(w)) ? name : undefined;
}

/** "a past medical history significant for congestive heart failure, depression and hypertension". */
const HISTORY_LIST =
  /\b(?:(?:past )?medical history|history|pmh)(?: that is| which is)? (?:significant|notable|remarkable)? ?(?:for|of) (.+?)(?=\s+(?:who|that|which|and (?:is|was|presents|comes)|presents|here|coming|comes|today)\b|[.;?]|$)/;

/** The conditions a history list names, each a problem candidate. */
export function historyProblems(sentence: string): string[] {
  const m = HISTORY_LIST.exec(sentence);
  if (!m) return [];
  return m[1]!
    .split(/,\s*(?:and\s+|as well as\s+)?|\s+(?:and|as well as)\s+/)
    .map((item) => problemName(item))
    .filter((name): name is string => name !== undefined && name.split(' ').some((w) => CONDITIONS.has(w) && !GENERIC.has(w)));
}

interface Problem {
  name: string;
  key: Set<string>;
  evidence: string[];
  /** When the plan first took it up (its place in the assessment and plan), or never. */
  planOrder: number;
  firstNamed: number;
  readonly sentences: SectionCollector;
  /** Named only in a history list: a problem of the visit only when the visit comes back to it. */
  listedOnly: boolean;
  /** The condition the assessment of a symptom names ("lumbar strain" for back pain). */
  diagnosis?: string;
}

export class ProblemList {
  private readonly problems: Problem[] = [];
  private current: Problem | undefined;
  private named = 0;
  private planned = 0;

  /** `visitText`: the whole transcript, lower case, to tell whether a listed problem comes up again. */
  constructor(private readonly visitText: string) {}

  /** A condition from a history list ("past medical history significant for …"). */
  listed(name: string, evidence: readonly string[]): void {
    const before = this.problems.length;
    this.name(name, evidence, false);
    if (this.problems.length > before) this.problems.at(-1)!.listedOnly = true;
  }

  /** The problem with this name, or a new one. In the plan it becomes the one under discussion. */
  name(phrase: string, evidence: readonly string[], inPlan: boolean): boolean {
    const name = problemName(phrase);
    if (!name) return false;
    const key = keyOf(name);
    let problem = this.problems.find((p) => [...key].some((w) => p.key.has(w)));
    if (!problem) {
      problem = {
        name,
        key,
        evidence: [],
        planOrder: Infinity,
        firstNamed: this.named++,
        sentences: new SectionCollector(),
        listedOnly: false,
      };
      this.problems.push(problem);
    } else {
      problem.listedOnly = false;
    }
    if (inPlan && problem.planOrder === Infinity && name.split(' ').length > problem.name.split(' ').length) {
      // The plan's fuller name ("congestive heart failure" after "heart failure") heads it.
      problem.name = name;
      for (const w of key) problem.key.add(w);
    }
    for (const id of evidence) if (!problem.evidence.includes(id)) problem.evidence.push(id);
    if (inPlan) {
      if (problem.planOrder === Infinity) problem.planOrder = this.planned++;
      this.current = problem;
    }
    return true;
  }

  /** Whether a problem is under discussion in the plan. */
  get discussing(): boolean {
    return this.current !== undefined;
  }

  /** An assessment or plan sentence about the problem under discussion; false when there is none. */
  add(section: 'assessment' | 'plan', text: string, evidence: readonly string[]): boolean {
    if (!this.current) return false;
    // "Back pain" assessed as "he likely has a lumbar strain": the heading says both, as notes do.
    const diagnosis = section === 'assessment' ? impressionIn(text.toLowerCase()) : undefined;
    const symptomOnly = !this.current.name.split(' ').some((w) => CONDITIONS.has(w) && !GENERIC.has(w));
    if (diagnosis && symptomOnly && !this.current.diagnosis && ![...keyOf(diagnosis)].every((w) => this.current!.key.has(w))) {
      this.current.diagnosis = diagnosis;
      for (const id of evidence) if (!this.current.evidence.includes(id)) this.current.evidence.push(id);
    }
    this.current.sentences.add(section, text, evidence);
    return true;
  }

  /** Ends the discussion of the current problem (the clinician moved on: the next problem, follow-up, questions). */
  close(): void {
    this.current = undefined;
  }

  get planProblems(): number {
    return this.planned;
  }

  private impressed: Problem | undefined;

  /** A problem stated as the clinician's impression outside the plan (results read out in the exam). */
  impression(phrase: string, evidence: readonly string[]): void {
    if (!this.name(phrase, evidence, false)) return;
    const key = keyOf(problemName(phrase)!);
    this.impressed ??= this.problems.find((p) => [...key].some((w) => p.key.has(w)));
  }

  /** The heading of the first problem stated as an impression outside the plan. */
  get firstImpression(): string | undefined {
    return this.impressed && finish(this.impressed.name);
  }

  result(): DraftedProblem[] {
    return (
      this.problems
        .filter((p) => !p.listedOnly || [...p.key].some((w) => this.visitText.split(w).length > 2))
        .sort((a, b) => a.planOrder - b.planOrder || a.firstNamed - b.firstNamed)
        // A heading is a name; one that reads as speech ("condition we call …") is not written.
        .filter((p) => inClinicalRegister(p.name) !== undefined)
        .map((p) => {
          const sections = p.sentences.result();
          return {
            heading: { text: finish(p.diagnosis ? `${p.name}, likely ${p.diagnosis}` : p.name), evidence: [...p.evidence] },
            assessment: sections.assessment ?? [],
            plan: sections.plan ?? [],
          };
        })
    );
  }
}

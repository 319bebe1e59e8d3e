import type { SectionId } from '../../shared/domain/note.js';

/** A sentence as a drafter produced it, before the note gives it an id and checks its evidence. */
export interface DraftedSentence {
  readonly text: string;
  /** Transcript segment ids the drafter says this came from. */
  readonly evidence: readonly string[];
}

export type DraftedSections = Partial<Record<SectionId, DraftedSentence[]>>;

/** A code a drafter proposes, already checked against the code set, with the segments that support it. */
export interface ProposedCode {
  readonly code: string;
  readonly description: string;
  readonly evidence: readonly string[];
}

/**
 * One problem of a problem-oriented assessment and plan, as discussed in the visit: its heading
 * ("Hypertension."), the clinician's assessment of it and its plan items. Its sentences' evidence is
 * where the problem was discussed: what per-problem code suggestions start from.
 */
export interface DraftedProblem {
  readonly heading: DraftedSentence;
  readonly assessment: readonly DraftedSentence[];
  readonly plan: readonly DraftedSentence[];
}

export interface DraftedNote {
  readonly sections: DraftedSections;
  /**
   * Problems in the order discussed, when the drafter found them; their sentences are in none of
   * `sections` (which then hold only what concerns the whole visit). The template lays them out.
   */
  readonly problems?: readonly DraftedProblem[];
  readonly codes: readonly ProposedCode[];
  readonly drafter: { readonly engine: 'llm' | 'offline'; readonly model?: string; readonly promptVersion?: string };
  /** Codes the drafter proposed that the code set does not hold as billable: never shown. */
  readonly droppedCodes: number;
}

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

export interface DraftedNote {
  readonly sections: DraftedSections;
  readonly codes: readonly ProposedCode[];
  readonly drafter: { readonly engine: 'llm' | 'offline'; readonly model?: string; readonly promptVersion?: string };
  /** Codes the drafter proposed that the code set does not hold as billable: never shown. */
  readonly droppedCodes: number;
}

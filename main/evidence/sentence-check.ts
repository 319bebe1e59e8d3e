import type { NoteSentence, SentenceCheck } from '../../shared/domain/note.js';
import type { TranscriptSegment } from '../../shared/domain/transcript.js';
import type { EvidenceBasis } from './evidence-basis.js';
import { segmentDigest } from './evidence-basis.js';
import { checkFacts } from './fact-check.js';

/** The visit's transcript as a sentence's evidence is checked against: the current one, and what it said at drafting. */
export interface EvidenceSource {
  readonly segments: ReadonlyMap<string, string>;
  /** Absent for notes drafted before bases were kept: then only missing segments and facts are checked. */
  readonly basis: EvidenceBasis | undefined;
}

export function evidenceSource(
  segments: readonly Pick<TranscriptSegment, 'id' | 'text'>[],
  basis: EvidenceBasis | undefined,
): EvidenceSource {
  return { segments: new Map(segments.map((segment) => [segment.id, segment.text])), basis };
}

/**
 * Why a sentence is not backed by the visit: cited segments that are gone, that say something else
 * than when the note was drafted, and facts (doses, frequencies, numbers, negations…) its cited
 * lines do not state. Derived from the store only: a client's `support` or `check` is never read.
 */
export function checkSentence(sentence: Pick<NoteSentence, 'text' | 'evidence'>, source: EvidenceSource): SentenceCheck {
  const cited = [...new Set(sentence.evidence)];
  const missingEvidence = cited.filter((id) => !source.segments.has(id));
  const present = cited.filter((id) => source.segments.has(id));
  const { basis } = source;
  const changedEvidence = basis
    ? present.filter((id) => basis[id] !== undefined && basis[id] !== segmentDigest(source.segments.get(id)!))
    : [];
  const backing = present.filter((id) => !changedEvidence.includes(id)).map((id) => source.segments.get(id)!);
  const unmatched = backing.length > 0 ? checkFacts(sentence.text, backing) : [];
  return { missingEvidence, changedEvidence, unmatched };
}

/** Supported: it cites at least one segment, and nothing about its evidence is wrong. */
export function supportFrom(sentence: Pick<NoteSentence, 'evidence'>, check: SentenceCheck): NoteSentence['support'] {
  const clean = check.missingEvidence.length === 0 && check.changedEvidence.length === 0 && check.unmatched.length === 0;
  return sentence.evidence.length > 0 && clean ? 'supported' : 'unsupported';
}

import type { NoteSection } from '../../shared/domain/note.js';
import type { TranscriptSegment } from '../../shared/domain/transcript.js';
import type { EvidenceBasis } from './evidence-basis.js';
import { transcriptChangedSince } from './evidence-basis.js';
import { checkSentence, evidenceSource, supportFrom } from './sentence-check.js';

export interface NoteEvidence {
  /** The sections with every sentence's `check` and `support` derived from the transcript as it is now. */
  readonly sections: NoteSection[];
  /** The transcript was replaced or revised after the note was drafted: its evidence may be gone. */
  readonly transcriptChanged: boolean;
}

/**
 * Re-derives what backs each sentence of a note from the stored transcript (and what it said when the
 * note was drafted). Used on every save, on every read of an unsigned note and at signing, so a
 * transcript changed after drafting, or a client claiming support, never decides what is signed.
 */
export function noteEvidence(
  sections: readonly NoteSection[],
  segments: readonly Pick<TranscriptSegment, 'id' | 'text'>[],
  basis: EvidenceBasis | undefined,
): NoteEvidence {
  const source = evidenceSource(segments, basis);
  return {
    sections: sections.map((section) => ({
      ...section,
      sentences: section.sentences.map((sentence) => {
        const check = checkSentence(sentence, source);
        return { ...sentence, check, support: supportFrom(sentence, check) };
      }),
    })),
    transcriptChanged: basis !== undefined && transcriptChangedSince(basis, segments),
  };
}

import { basisOf } from '../../main/evidence/evidence-basis.js';
import { createSqliteNoteRepository } from '../../main/notes/note-repository.js';
import type { NoteDraft } from '../../main/notes/note-service.js';
import type { Store } from '../../main/store/store.js';
import { createSqliteTranscriptRepository } from '../../main/transcripts/transcript-repository.js';
import type { VisitId } from '../../shared/ids.js';

/** A small reviewed-looking note for a visit: fake content, one accepted and one rejected code. */
export function noteDraft(visitId: string, hpi = 'Patient reports three days of sore throat and mild fever.'): NoteDraft {
  return {
    visitId: visitId as NoteDraft['visitId'],
    template: 'soap',
    sections: [
      {
        id: 'chief_complaint',
        title: 'Chief complaint',
        sentences: [{ id: 's1', text: 'Sore throat.', evidence: ['seg-1'], support: 'supported', origin: 'drafted' }],
      },
      {
        id: 'hpi',
        title: 'History of present illness',
        sentences: [{ id: 's2', text: hpi, evidence: ['seg-1', 'seg-2'], support: 'supported', origin: 'drafted' }],
      },
      {
        id: 'assessment',
        title: 'Assessment',
        sentences: [{ id: 's3', text: 'Acute pharyngitis, likely viral.', evidence: ['seg-4'], support: 'supported', origin: 'drafted' }],
      },
      {
        id: 'plan',
        title: 'Plan',
        sentences: [
          { id: 's4', text: 'Supportive care; return if symptoms worsen.', evidence: ['seg-5'], support: 'supported', origin: 'drafted' },
        ],
      },
    ],
    codes: [
      { code: 'J02.9', description: 'Acute pharyngitis, unspecified', rank: 1, evidence: ['s3'], status: 'accepted' },
      { code: 'R50.9', description: 'Fever, unspecified', rank: 2, evidence: ['s2'], status: 'rejected' },
    ],
    drafter: { engine: 'offline' },
  };
}

/** A visit conversation noteDraft's sentences are drawn from: imported, its lines become seg-1 … seg-5. */
export const NOTE_DRAFT_TRANSCRIPT = [
  'Doctor: What brings you in today?',
  'Patient: I have had a sore throat for three days and a mild fever.',
  'Doctor: Any cough or trouble swallowing?',
  'Doctor: Your throat looks red; this is most likely a viral pharyngitis.',
  'Doctor: Rest, fluids, and come back if it gets worse.',
].join('\n');

/**
 * Saves `draft` as the drafting service saves a draft: a 'draft' revision whose sentences the store
 * then knows as drafted (not a person's), with the visit's current transcript as its evidence basis.
 */
export function saveAsDrafted(store: Store, visitId: string, draft: NoteDraft): void {
  const segments = createSqliteTranscriptRepository(store).get(visitId as VisitId)?.segments ?? [];
  createSqliteNoteRepository(store).saveRevision(visitId as VisitId, draft, 'offline-drafter', 'draft', basisOf(segments));
}

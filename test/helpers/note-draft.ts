import type { NoteDraft } from '../../main/notes/note-service.js';

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

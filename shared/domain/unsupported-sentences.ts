import type { Note, NoteSentence, SectionId } from './note.js';

/**
 * Drafted sentences nothing in the transcript backs: what a clinician must look at before signing.
 * Sentences a reviewer added are their own words, not the drafter's claims, so they do not count
 * (the review view marks them "Added by a reviewer", not "Unsupported").
 */
export function isUnsupported(sentence: NoteSentence): boolean {
  return sentence.support === 'unsupported' && sentence.origin !== 'added';
}

export interface UnsupportedSummary {
  readonly count: number;
  /** Sections holding unsupported sentences, in note order, with how many each. */
  readonly sections: readonly { readonly id: SectionId; readonly title: string; readonly count: number }[];
}

export function unsupportedSummary(note: Pick<Note, 'sections'>): UnsupportedSummary {
  const sections = note.sections
    .map((section) => ({ id: section.id, title: section.title, count: section.sentences.filter(isUnsupported).length }))
    .filter((section) => section.count > 0);
  return { count: sections.reduce((sum, section) => sum + section.count, 0), sections };
}

/** Fixed section names, for messages that must not quote the note (its titles are note content). */
export const SECTION_NAMES: Readonly<Record<SectionId, string>> = {
  chief_complaint: 'chief complaint',
  hpi: 'history of present illness',
  ros: 'review of systems',
  medications: 'medications',
  allergies: 'allergies',
  vitals: 'vitals',
  exam: 'exam',
  assessment: 'assessment',
  plan: 'plan',
  patient_instructions: 'patient instructions',
};

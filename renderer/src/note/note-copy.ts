import { renderNoteText } from '../../../shared/domain/note-text.js';
import type { CodeSuggestion, NoteSection, SectionId } from '../../../shared/domain/note.js';

/**
 * The order most EMR progress-note forms ask for (Epic, Cerner, athena, eClinicalWorks):
 * subjective, then objective, then assessment and plan, then what the patient was told.
 */
export const EMR_SECTION_ORDER: readonly SectionId[] = [
  'chief_complaint',
  'hpi',
  'ros',
  'medications',
  'allergies',
  'vitals',
  'exam',
  'assessment',
  'plan',
  'patient_instructions',
];

export function inEmrOrder<S extends Pick<NoteSection, 'id'>>(sections: readonly S[]): S[] {
  const rank = (id: SectionId) => {
    const at = EMR_SECTION_ORDER.indexOf(id);
    return at === -1 ? EMR_SECTION_ORDER.length : at;
  };
  return [...sections].sort((a, b) => rank(a.id) - rank(b.id));
}

/** One section for the matching field of an EMR form: its sentences, one per line, no heading. */
export function sectionText(section: Pick<NoteSection, 'sentences'>): string {
  return section.sentences
    .map((s) => s.text.trim())
    .filter(Boolean)
    .join('\n');
}

/** The whole note as plain text, sections in EMR order (the same rendering the signature covers). */
export function wholeNoteText(sections: readonly NoteSection[]): string {
  return renderNoteText({ sections: inEmrOrder(sections) });
}

/** Accepted diagnosis codes, one per line, for an EMR's problem or diagnosis list. */
export function acceptedCodesText(codes: readonly CodeSuggestion[]): string {
  return codes
    .filter((code) => code.status === 'accepted')
    .map((code) => `${code.code} ${code.description}`)
    .join('\n');
}

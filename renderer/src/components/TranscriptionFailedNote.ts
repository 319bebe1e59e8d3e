import type { NoteSection } from '../../../shared/domain/note.js';

/** The SOAP note's sections, empty: what "Write the note by hand" starts from (main/drafting/templates.ts). */
export const BLANK_SOAP_SECTIONS: readonly NoteSection[] = [
  ['chief_complaint', 'Chief complaint'],
  ['hpi', 'History of present illness'],
  ['ros', 'Review of systems'],
  ['medications', 'Medications'],
  ['allergies', 'Allergies'],
  ['vitals', 'Vital signs'],
  ['exam', 'Physical exam'],
  ['assessment', 'Assessment'],
  ['plan', 'Plan'],
  ['patient_instructions', 'Patient instructions'],
].map(([id, title]) => ({ id: id as NoteSection['id'], title: title!, sentences: [] }));

import type { NoteTemplateId, SectionId } from '../../shared/domain/note.js';

export interface NoteTemplate {
  readonly id: NoteTemplateId;
  readonly title: string;
  /** The sections a note of this kind shows, in reading order, with their headings. */
  readonly sections: readonly { readonly id: SectionId; readonly title: string }[];
  /**
   * Where content goes when the template has no section of its own for it (a follow-up visit has no
   * separate review of systems: its negatives belong in the interval history). Nothing is dropped.
   */
  readonly foldInto: Partial<Record<SectionId, SectionId>>;
  /**
   * How a drafter's problems are laid out. 'by-problem': the assessment section holds each problem's
   * heading followed by its assessment and its plan items, and the plan section what concerns the
   * whole visit (follow-up). 'separate' (plain SOAP): the assessment holds each problem's heading and
   * assessment, the plan every problem's plan items in the same order, then the rest.
   */
  readonly assessmentPlan: 'by-problem' | 'separate';
}

/** Primary-care SOAP: subjective (complaint, history, systems, medications, allergies), objective, assessment, plan. */
const soap: NoteTemplate = {
  id: 'soap',
  title: 'SOAP note',
  sections: [
    { id: 'chief_complaint', title: 'Chief complaint' },
    { id: 'hpi', title: 'History of present illness' },
    { id: 'ros', title: 'Review of systems' },
    { id: 'medications', title: 'Medications' },
    { id: 'allergies', title: 'Allergies' },
    { id: 'vitals', title: 'Vital signs' },
    { id: 'exam', title: 'Physical exam' },
    { id: 'assessment', title: 'Assessment' },
    { id: 'plan', title: 'Plan' },
    { id: 'patient_instructions', title: 'Patient instructions' },
  ],
  foldInto: {},
  assessmentPlan: 'by-problem',
};

/** History and physical: the full history before the examination, as for a new patient or an admission. */
const historyPhysical: NoteTemplate = {
  id: 'history-physical',
  title: 'History and physical',
  sections: [
    { id: 'chief_complaint', title: 'Chief complaint' },
    { id: 'hpi', title: 'History of present illness' },
    { id: 'medications', title: 'Current medications' },
    { id: 'allergies', title: 'Allergies' },
    { id: 'ros', title: 'Review of systems' },
    { id: 'vitals', title: 'Vital signs' },
    { id: 'exam', title: 'Physical examination' },
    { id: 'assessment', title: 'Assessment' },
    { id: 'plan', title: 'Plan' },
    { id: 'patient_instructions', title: 'Patient instructions' },
  ],
  foldInto: {},
  assessmentPlan: 'by-problem',
};

/** Follow-up visit: why they came back, what changed since, and what happens next; systems and allergies fold into the history. */
const followUp: NoteTemplate = {
  id: 'follow-up',
  title: 'Follow-up visit',
  sections: [
    { id: 'chief_complaint', title: 'Reason for follow-up' },
    { id: 'hpi', title: 'Interval history' },
    { id: 'medications', title: 'Medications' },
    { id: 'vitals', title: 'Vital signs' },
    { id: 'exam', title: 'Exam' },
    { id: 'assessment', title: 'Assessment' },
    { id: 'plan', title: 'Plan' },
    { id: 'patient_instructions', title: 'Patient instructions' },
  ],
  foldInto: { ros: 'hpi', allergies: 'medications' },
  assessmentPlan: 'by-problem',
};

export const TEMPLATES: Readonly<Record<NoteTemplateId, NoteTemplate>> = {
  soap,
  'history-physical': historyPhysical,
  'follow-up': followUp,
};

/** The section a drafted sentence for `section` lands in under this template. */
export function targetSection(template: NoteTemplate, section: SectionId): SectionId | undefined {
  if (template.sections.some((s) => s.id === section)) return section;
  const folded = template.foldInto[section];
  return folded && template.sections.some((s) => s.id === folded) ? folded : undefined;
}

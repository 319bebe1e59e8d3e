import type { Note } from './note.js';

/**
 * The note as plain text, the way a clinician reads it and an EMR's note form takes it: each section
 * heading on its own line, then one sentence per line. This exact text is what a signature's hash
 * covers and what every write-back target sends.
 */
export function renderNoteText(note: Pick<Note, 'sections'>): string {
  return note.sections
    .filter((section) => section.sentences.length > 0)
    .map((section) => [section.title.toUpperCase(), ...section.sentences.map((s) => s.text)].join('\n'))
    .join('\n\n');
}

/**
 * What a clinician signs: the note's text, then the diagnoses its accepted codes name (code and the
 * code set's description, in rank order). The codes are part of the signed words, so every target
 * carries them, including an EHR that takes no diagnoses as separate resources.
 */
export function renderSignedNoteText(note: Pick<Note, 'sections' | 'codes'>): string {
  const body = renderNoteText(note);
  const accepted = note.codes.filter((code) => code.status === 'accepted');
  if (accepted.length === 0) return body;
  const diagnoses = ['DIAGNOSES (ICD-10-CM)', ...accepted.map((code) => `${code.code} ${code.description}`)].join('\n');
  return body === '' ? diagnoses : `${body}\n\n${diagnoses}`;
}

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

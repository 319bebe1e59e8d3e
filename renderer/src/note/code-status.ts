import type { CodeSuggestion } from '../../../shared/domain/note.js';
import type { NoteContent } from './note-document.js';

export const codeStatusLabels: Record<CodeSuggestion['status'], string> = {
  suggested: 'Suggested',
  accepted: 'Accepted',
  rejected: 'Rejected',
};

/** The note's content with one code's decision changed. */
export function withCodeStatus(content: NoteContent, code: string, status: CodeSuggestion['status']): NoteContent {
  return { ...content, codes: content.codes.map((c) => (c.code === code ? { ...c, status } : c)) };
}

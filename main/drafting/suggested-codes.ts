import type { CodeSuggestion } from '../../shared/domain/note.js';
import type { TranscriptSegment } from '../../shared/domain/transcript.js';
import type { SuggestionInput } from '../coding/code-suggestions.js';
import type { NoteDraft } from '../notes/note-service.js';

/**
 * Adds the coding engine's suggestions for the draft's assessment to the codes a drafter proposed
 * (a language model's, already checked against the code set). The drafter's come first, keeping
 * their evidence; a code both propose gains the coding engine's specificity hint.
 */
export function withSuggestedCodes(
  draft: NoteDraft,
  segments: readonly TranscriptSegment[],
  suggest: ((input: SuggestionInput) => CodeSuggestion[]) | undefined,
): NoteDraft {
  if (!suggest) return draft;
  const assessment = draft.sections.find((s) => s.id === 'assessment')?.sentences.map((s) => ({ id: s.id, text: s.text })) ?? [];
  if (assessment.length === 0) return draft;
  const suggested = suggest({ assessment, transcript: segments.map((s) => ({ id: s.id, text: s.text })) });
  const byCode = new Map(suggested.map((s) => [s.code, s]));
  const merged: CodeSuggestion[] = draft.codes.map((code) => {
    const hint = byCode.get(code.code)?.specificityHint;
    return hint && !code.specificityHint ? { ...code, specificityHint: hint } : code;
  });
  for (const suggestion of suggested) if (!merged.some((c) => c.code === suggestion.code)) merged.push(suggestion);
  return { ...draft, codes: merged.map((code, i) => ({ ...code, rank: i + 1, status: 'suggested' })) };
}

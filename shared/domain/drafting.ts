import { z } from 'zod';
import { VisitId } from '../ids.js';
import { Note, NoteTemplateId } from './note.js';

/**
 * 'auto' is the caller asking for the fallback: the language model when one is configured and
 * answers, else the offline drafter, and the result says which ran and why. 'llm' and 'offline'
 * run exactly that engine or fail.
 */
export const DraftEngineChoice = z.enum(['auto', 'llm', 'offline']);
export type DraftEngineChoice = z.infer<typeof DraftEngineChoice>;

export const DraftRequest = z.object({
  visitId: VisitId,
  engine: DraftEngineChoice.default('auto'),
  template: NoteTemplateId.default('soap'),
  /**
   * Drafting again saves a new revision on top of the current one. When people have already edited
   * the note that would bury their edits in the history, so it is refused unless asked for here.
   */
  replaceEdits: z.boolean().default(false),
});
export type DraftRequest = z.infer<typeof DraftRequest>;

export const DraftResult = z.object({
  note: Note,
  /** Set when 'auto' fell back to the offline drafter: why the language model was not used (safe text). */
  fallback: z.object({ reason: z.string() }).optional(),
  /** Sentences marked unsupported and model codes dropped as not in the code set: counts, for the reviewer. */
  unsupportedSentences: z.number().int().nonnegative(),
  droppedCodes: z.number().int().nonnegative(),
});
export type DraftResult = z.infer<typeof DraftResult>;

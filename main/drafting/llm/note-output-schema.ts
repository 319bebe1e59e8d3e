import { z } from 'zod';
import { NoteSentence, SectionId } from '../../../shared/domain/note.js';
import type { NoteTemplate } from '../templates.js';

/**
 * What the model must return, derived from the note model (shared/domain/note.ts): the template's
 * sections, each a list of sentences citing transcript segment ids, and candidate ICD-10-CM codes
 * citing segments. Ids, support flags and descriptions are not asked for: we assign and check those.
 */
export function noteOutputSchema(template: NoteTemplate) {
  const ids = template.sections.map((s) => s.id) as [SectionId, ...SectionId[]];
  const Sentence = z.object({
    text: NoteSentence.shape.text.describe('One sentence of the note, in clinical note style, third person for the patient.'),
    segmentIds: NoteSentence.shape.evidence.describe('Ids of the transcript segments this sentence is based on, e.g. ["seg-3", "seg-4"].'),
  });
  return z.object({
    sections: z.array(
      z.object({
        id: SectionId.extract(ids).describe('Which section of the note.'),
        sentences: z.array(Sentence),
      }),
    ),
    codes: z.array(
      z.object({
        code: z.string().describe('A billable ICD-10-CM code with its dot, e.g. "E11.65".'),
        segmentIds: z.array(z.string()).describe('Ids of the transcript segments that support this code.'),
      }),
    ),
  });
}
export type NoteOutput = z.infer<ReturnType<typeof noteOutputSchema>>;

/** The JSON Schema for structured outputs (strict mode): every property required, no extras. */
export function noteOutputJsonSchema(template: NoteTemplate): Record<string, unknown> {
  const schema = { ...(z.toJSONSchema(noteOutputSchema(template), { target: 'draft-7' }) as Record<string, unknown>) };
  delete schema['$schema'];
  return schema;
}

import { z } from 'zod';

export const Speaker = z.enum(['clinician', 'patient', 'other', 'unknown']);
export type Speaker = z.infer<typeof Speaker>;

/** One stretch of speech as text: PHI, stored encrypted. Times are from the start of the visit's audio. */
export const TranscriptSegment = z.object({
  id: z.string().min(1).max(64),
  startMs: z.number().int().nonnegative(),
  endMs: z.number().int().nonnegative(),
  speaker: Speaker,
  text: z.string(),
  confidence: z.number().min(0).max(1).optional(),
});
export type TranscriptSegment = z.infer<typeof TranscriptSegment>;

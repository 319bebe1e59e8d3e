import { z } from 'zod';
import { IsoDateTime, VisitId } from '../ids.js';

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

/**
 * Segment ids sit in plain columns and in note evidence links, so they are restricted to our own
 * id alphabet: an engine's counter or UUID, never text from the visit.
 */
export const SegmentId = z.string().regex(/^[A-Za-z0-9._:-]{1,64}$/, 'segment ids use letters, digits and . _ : - only');

/** Where a visit's transcript came from: a transcription engine during the visit, or a file made elsewhere. */
export const TranscriptSource = z.enum(['asr', 'import']);
export type TranscriptSource = z.infer<typeof TranscriptSource>;

export const Transcript = z.object({
  visitId: VisitId,
  source: TranscriptSource,
  /** True once the engine has flushed the last audio (or for an import): drafting reads only final transcripts. */
  final: z.boolean(),
  segments: z.array(TranscriptSegment),
  updatedAt: IsoDateTime,
});
export type Transcript = z.infer<typeof Transcript>;

/** File formats `transcript:import` reads; 'auto' looks at the content. */
export const TranscriptFormat = z.enum(['auto', 'text', 'vtt', 'json']);
export type TranscriptFormat = z.infer<typeof TranscriptFormat>;

export const TranscriptImportRequest = z.object({
  visitId: VisitId,
  /** The file's text. Up to 10 MB: hours of speech as text. */
  content: z.string().min(1).max(10_000_000),
  format: TranscriptFormat.default('auto'),
  /** Overwrite an existing transcript (never while recording, never once signed). */
  replace: z.boolean().default(false),
});

export const TranscriptImportResult = z.object({
  visitId: VisitId,
  format: TranscriptFormat.exclude(['auto']),
  segments: z.number().int().nonnegative(),
  replaced: z.boolean(),
});

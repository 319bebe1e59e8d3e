import { createHash } from 'node:crypto';
import type { TranscriptSegment } from '../../shared/domain/transcript.js';

/**
 * What each transcript segment said when a note was drafted from it: segment id → digest of its
 * words. Kept (encrypted) beside the note, so a transcript replaced or revised afterwards shows as
 * changed evidence even when the new transcript reuses the same segment ids.
 */
export type EvidenceBasis = Readonly<Record<string, string>>;

/** Whitespace and case do not change what was said. */
export function segmentDigest(text: string): string {
  return createHash('sha256').update(text.replace(/\s+/g, ' ').trim().toLowerCase(), 'utf8').digest('base64url');
}

export function basisOf(segments: readonly Pick<TranscriptSegment, 'id' | 'text'>[]): EvidenceBasis {
  return Object.fromEntries(segments.map((segment) => [segment.id, segmentDigest(segment.text)]));
}

/** Whether the transcript now differs from the one the note was drafted from (a segment changed, went or came). */
export function transcriptChangedSince(basis: EvidenceBasis, segments: readonly Pick<TranscriptSegment, 'id' | 'text'>[]): boolean {
  const ids = Object.keys(basis);
  if (ids.length !== segments.length) return true;
  return segments.some((segment) => basis[segment.id] !== segmentDigest(segment.text));
}

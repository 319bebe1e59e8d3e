import type { TranscriptSegment } from '../../../shared/domain/transcript.js';

/** A segment as read from a file, before the store gives it an id. */
export type ImportedTurn = Omit<TranscriptSegment, 'id'>;

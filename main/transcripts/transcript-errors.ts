import type { VisitState } from '../../shared/domain/visit.js';
import { ForbiddenError, NotFoundError, ScribeError } from '../kernel/errors.js';

export const transcriptNotFound = () => new NotFoundError('A transcript for this visit', 'transcript.not_found');

export const importForbidden = () =>
  new ForbiddenError('Only clinicians and scribes can import transcripts.', 'transcript.import_forbidden');

export const importLocked = (state: VisitState) =>
  new ScribeError('conflict', `A transcript cannot be imported while the visit is ${state.replace(/_/g, ' ')}.`, {
    reason: 'transcript.import_locked',
    details: { state },
  });

export const transcriptExists = (segments: number) =>
  new ScribeError('conflict', `This visit already has a transcript (${segments} segments). Import with replace to overwrite it.`, {
    reason: 'transcript.already_exists',
    details: { segments },
  });

/** `fields` are paths into the segments (0.startMs), never their values. */
export const invalidSegments = (fields: readonly string[]) =>
  new ScribeError('bad_request', `Invalid transcript segments: check ${fields.join(', ')}.`, {
    reason: 'transcript.invalid_segments',
    details: { fields: fields.join(',') },
  });

export const transcriptFinal = () =>
  new ScribeError('conflict', 'The transcript is final; no segments can be added.', { reason: 'transcript.final' });

import type { OutboxState } from '../../shared/domain/outbox.js';
import { NotFoundError, ScribeError } from '../kernel/errors.js';

export const outboxJobNotFound = () => new NotFoundError('The outbox job', 'outbox.job_not_found');

export const jobNotRetryable = (state: OutboxState) =>
  new ScribeError('conflict', `Only a failed job can be retried; this one is ${state}.`, {
    reason: 'outbox.job_not_retryable',
    details: { state },
  });

export const confirmForbidden = () =>
  new ScribeError('forbidden', 'Only a clinician or an administrator can confirm whether a note reached the EHR.', {
    reason: 'outbox.confirm_forbidden',
  });

export const jobOutcomeKnown = (state: OutboxState) =>
  new ScribeError('conflict', `Only a job whose outcome is unknown can be confirmed; this one is ${state}.`, {
    reason: 'outbox.outcome_known',
    details: { state },
  });

import type { OutboxState } from '../../shared/domain/outbox.js';
import { NotFoundError, ScribeError } from '../kernel/errors.js';

export const outboxJobNotFound = () => new NotFoundError('The outbox job', 'outbox.job_not_found');

export const jobNotRetryable = (state: OutboxState) =>
  new ScribeError('conflict', `Only a failed job can be retried; this one is ${state}.`, {
    reason: 'outbox.job_not_retryable',
    details: { state },
  });

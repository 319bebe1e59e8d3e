import type { Consent, ConsentSummary, RecordConsentRequest } from '../../shared/domain/capture.js';
import type { VisitId } from '../../shared/ids.js';
import type { Actor } from '../kernel/actor.js';
import type { AuditLog } from '../audit/audit-log.js';
import type { Logger } from '../log/logger.js';
import type { ConsentRepository } from '../store/consent-repository.js';
import { visitNotFound } from '../store/errors.js';
import type { Store } from '../store/store.js';
import type { VisitRecords } from '../store/visit-repository.js';
import { consentRequired, consentTimeInFuture, representativeNameMissing } from './capture-errors.js';

/** A little clock skew between workstations is fine; consent from the future is a mistake. */
const SKEW_MS = 5 * 60_000;

/** The patient's consent to recording: recorded with who confirmed it, and asked for before audio is taken. */
export interface CaptureConsent {
  record(request: RecordConsentRequest, actor: Actor): Consent;
  /** Whether policy asks for recorded consent before recording (asked each time: settings change). */
  required(): boolean;
  /** Throws when policy asks for consent and the visit has none recorded. */
  requireFor(visitId: VisitId): void;
  /** The latest consent as status shows it: how and by whom, without names or notes. */
  summary(visitId: VisitId): ConsentSummary | null;
}

export interface CaptureConsentDeps {
  readonly store: Store;
  readonly visits: Pick<VisitRecords, 'get'>;
  readonly consents: ConsentRepository;
  readonly audit: AuditLog;
  readonly logger: Logger;
  /** Policy: recording waits for recorded consent. Default true; a function is asked each time. */
  readonly requireConsent?: boolean | (() => boolean);
}

export function createCaptureConsent({ store, visits, consents, audit, logger, requireConsent }: CaptureConsentDeps): CaptureConsent {
  const policy = requireConsent ?? true;
  const required = typeof policy === 'function' ? policy : () => policy;
  return {
    record(request, actor) {
      if (!visits.get(request.visitId)) throw visitNotFound();
      const now = store.clock.now();
      const obtainedAt = request.obtainedAt ?? now.toISOString();
      if (Date.parse(obtainedAt) > now.getTime() + SKEW_MS) throw consentTimeInFuture();
      if (request.givenBy !== 'patient' && !request.representativeName) throw representativeNameMissing(request.givenBy);
      const consent = store.transaction(() => {
        const inserted = consents.insert({ ...request, obtainedAt: new Date(obtainedAt).toISOString(), confirmedBy: actor.id });
        audit.append({ actor: actor.id, action: 'consent.recorded', objectType: 'visit', objectId: request.visitId });
        return inserted;
      });
      logger.info('capture.consent_recorded', { visitId: request.visitId, method: consent.method, givenBy: consent.givenBy });
      return consent;
    },
    required,
    requireFor(visitId) {
      if (required() && !consents.latest(visitId)) throw consentRequired();
    },
    summary(visitId) {
      const consent = consents.latest(visitId);
      return consent
        ? {
            method: consent.method,
            givenBy: consent.givenBy,
            obtainedAt: consent.obtainedAt,
            confirmedBy: consent.confirmedBy,
            recordedAt: consent.recordedAt,
          }
        : null;
    },
  };
}

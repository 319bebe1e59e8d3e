import type { OutboxRoute } from '../../shared/domain/outbox.js';
import type { Deliverer, DeliveryJob, DeliveryOutcome, DeliveryTarget } from './delivery.js';

export interface RoutedOutcome {
  readonly outcome: DeliveryOutcome;
  /** The target this attempt reached (or may have reached); undefined when none was tried. */
  readonly target: DeliveryTarget | undefined;
}

export type Deliverers = Partial<Record<DeliveryTarget, Deliverer>>;

const firstTarget: Record<OutboxRoute, DeliveryTarget> = {
  fhir: 'fhir',
  hl7v2: 'hl7v2',
  'file-drop': 'file-drop',
  'fhir-then-hl7v2': 'fhir',
};

/**
 * Picks the target for one attempt. FHIR-then-HL7 falls back only when FHIR certainly holds
 * nothing: it could not be reached, or it refused the write whole (not a server without
 * transactions that took part of the note before refusing the rest: that is `partial_write`). A timeout or dropped answer may mean
 * FHIR committed, so that job stays on FHIR (sticky target) and is resent there with the same key.
 */
export async function routeDelivery(
  job: DeliveryJob,
  route: OutboxRoute,
  stickyTarget: DeliveryTarget | undefined,
  deliverers: Deliverers,
  signal: AbortSignal,
): Promise<RoutedOutcome> {
  const attempt = async (target: DeliveryTarget): Promise<RoutedOutcome> => {
    const deliverer = deliverers[target];
    if (!deliverer) {
      return {
        target: undefined,
        outcome: { kind: 'failed', code: 'not_configured', reason: `No ${target} connection is configured on this workstation.` },
      };
    }
    return { target, outcome: await deliverer.deliver(job, signal) };
  };

  const target = stickyTarget ?? firstTarget[route];
  const first = await attempt(target);
  const nothingWritten =
    first.outcome.kind === 'unreachable' || (first.outcome.kind === 'failed' && first.outcome.code !== 'partial_write');
  const mayFallBack = route === 'fhir-then-hl7v2' && target === 'fhir' && nothingWritten;
  if (!mayFallBack) return first;
  const fallback = await attempt('hl7v2');
  return fallback.target ? fallback : first;
}

import type { DefaultFhirTarget } from '../fhir/target-from-settings.js';
import type { Hl7ReceiverDefaults } from './hl7/hl7-target-from-settings.js';

/**
 * Where notes go when the settings name no EHR: the composition root passes the demo (sandbox) EHR
 * unless the machine policy forbids it. Without defaults an unset target is "not configured".
 */
export interface DefaultTargets {
  readonly fhir?: DefaultFhirTarget;
  readonly hl7?: Hl7ReceiverDefaults;
  /** The demo EHR's practitioner an unlinked workstation account signs as, while the demo EHR is the target. */
  readonly demoSigner?: string;
}

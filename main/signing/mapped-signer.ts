import type { Settings } from '../../shared/domain/policy.js';

/**
 * The practitioner a workstation account signs as without an EHR sign-in: IT's link for it
 * (`signerPractitioners`), or, while no EHR is configured and the demo EHR stands in, the demo EHR's
 * clinician, so a first run can be tried end to end. A real EHR never gets the demo default.
 */
export function mappedSigner(
  settings: Pick<Settings, 'signerPractitioners' | 'fhirBaseUrl' | 'mllpHost'>,
  account: string,
  demoSigner: string | undefined,
): string | undefined {
  const linked = Object.hasOwn(settings.signerPractitioners, account) ? settings.signerPractitioners[account] : undefined;
  if (linked !== undefined) return linked;
  return settings.fhirBaseUrl === null && settings.mllpHost === null ? demoSigner : undefined;
}

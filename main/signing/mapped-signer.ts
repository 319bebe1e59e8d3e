import type { Settings } from '../../shared/domain/policy.js';

/**
 * The practitioner a workstation account signs as without an EHR sign-in, and why: IT's link for it
 * (`signerPractitioners`), or, while no EHR is configured and the demo EHR stands in, the demo EHR's
 * clinician, so a first run can be tried end to end. A real EHR never gets the demo default.
 */
export function mappedSignerSource(
  settings: Pick<Settings, 'signerPractitioners' | 'fhirBaseUrl' | 'mllpHost'>,
  account: string,
  demoSigner: string | undefined,
): { readonly id: string; readonly from: 'workstation_mapping' | 'demo_ehr' } | undefined {
  const linked = Object.hasOwn(settings.signerPractitioners, account) ? settings.signerPractitioners[account] : undefined;
  if (linked !== undefined) return { id: linked, from: 'workstation_mapping' };
  const demo = settings.fhirBaseUrl === null && settings.mllpHost === null ? demoSigner : undefined;
  return demo === undefined ? undefined : { id: demo, from: 'demo_ehr' };
}

/** The practitioner id alone, for the signer resolution. */
export function mappedSigner(
  settings: Pick<Settings, 'signerPractitioners' | 'fhirBaseUrl' | 'mllpHost'>,
  account: string,
  demoSigner: string | undefined,
): string | undefined {
  return mappedSignerSource(settings, account, demoSigner)?.id;
}

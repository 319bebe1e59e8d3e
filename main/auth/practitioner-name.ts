import type { HumanName, Practitioner } from '@medplum/fhirtypes';
import type { BackendTokenSource } from '../fhir/smart-backend-auth.js';
import { createFhirClient } from '../fhir/fhir-client.js';

/** "Dr. Robin Clinician" from a Practitioner's official (else first) name; null when it has none. */
export function formatPractitionerName(practitioner: Practitioner): string | null {
  const names = practitioner.name ?? [];
  const name: HumanName | undefined = names.find((n) => n.use === 'official') ?? names.find((n) => n.use === 'usual') ?? names[0];
  if (!name) return null;
  const text =
    name.text?.trim() ||
    [...(name.prefix ?? []), ...(name.given ?? []), name.family ?? '', ...(name.suffix ?? [])]
      .map((p) => p.trim())
      .filter(Boolean)
      .join(' ');
  return text ? text.slice(0, 200) : null;
}

/**
 * The signed-in clinician's name as the EHR records it, read with their own token. A name is a
 * convenience for the screen: when the EHR will not say (no read scope, an error), it is null and
 * the sign-in stands.
 */
export async function readPractitionerName(o: {
  fhirBaseUrl: string;
  practitionerId: string;
  tokens: BackendTokenSource;
  timeoutMs: number;
  fetch?: typeof fetch;
}): Promise<string | null> {
  const client = createFhirClient({
    baseUrl: o.fhirBaseUrl,
    tokens: o.tokens,
    requestTimeoutMs: o.timeoutMs,
    capabilityTtlMs: 0,
    ...(o.fetch ? { fetch: o.fetch } : {}),
  });
  try {
    return formatPractitionerName(await client.read<Practitioner>('Practitioner', o.practitionerId, AbortSignal.timeout(o.timeoutMs)));
  } catch {
    return null;
  }
}

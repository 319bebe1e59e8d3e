import type { JWTVerifyGetKey } from 'jose';
import type { SignedInUser } from '../../shared/domain/auth.js';
import type { Actor } from '../kernel/actor.js';
import { verifyIdToken } from './id-token.js';
import { readPractitionerName } from './practitioner-name.js';

/**
 * Who signed in, and how Ambient Scribe knows: the Practitioner the EHR vouched for in its signed
 * id_token (fhirUser), never a name or id the clinician typed. The name is the id_token's, or,
 * when it has none, the one on the EHR's Practitioner record, read with the clinician's own token.
 */
export interface ClinicianIdentityCheck {
  readonly idToken: string | undefined;
  readonly accessToken: string;
  /** The EHR's OpenID Connect issuer and our client id (the id_token's audience). */
  readonly issuer: string;
  readonly clientId: string;
  readonly keys: JWTVerifyGetKey;
  readonly fhirBaseUrl: string;
  readonly now: () => number;
  readonly fetch: typeof fetch;
  readonly timeoutMs: number;
}

export async function identifyClinician(c: ClinicianIdentityCheck): Promise<SignedInUser> {
  const identity = await verifyIdToken(c.idToken, { issuer: c.issuer, audience: c.clientId, keys: c.keys, now: c.now });
  const displayName =
    identity.name ??
    (await readPractitionerName({
      fhirBaseUrl: c.fhirBaseUrl,
      practitionerId: identity.practitionerId,
      tokens: { token: () => Promise.resolve(c.accessToken), invalidate: () => undefined },
      timeoutMs: c.timeoutMs,
      fetch: c.fetch,
    }));
  return { practitionerId: identity.practitionerId, fhirUser: identity.fhirUser, displayName };
}

/** The signed-in clinician as the API's actor: their Practitioner id acts, as a clinician. */
export function actorOf(user: SignedInUser): Actor {
  const name = user.displayName ?? undefined;
  return {
    id: user.practitionerId,
    role: 'clinician',
    practitioner: { id: user.practitionerId, ...(name ? { name } : {}), vouchedBy: 'ehr-sign-in' },
  };
}

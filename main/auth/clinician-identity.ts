import type { JWTVerifyGetKey } from 'jose';
import type { SignedInUser, UserRole } from '../../shared/domain/auth.js';
import type { Actor } from '../kernel/actor.js';
import { verifyIdToken } from './id-token.js';
import { readPractitionerName } from './practitioner-name.js';
import { roleOfEhrUser } from './user-role.js';

/**
 * Who signed in, and how Ambient Scribe knows: the user the EHR vouched for in its signed id_token
 * (fhirUser: a Practitioner, or a Person or PractitionerRole for staff such as scribes), never a
 * name or id typed in. The name is the id_token's, or, when it has none, the one on the EHR's
 * Practitioner record, read with the user's own token.
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
  /** IT's roles for fhirUser references (`ehrUserRoles`). */
  readonly userRoles: Readonly<Record<string, UserRole>>;
}

export async function identifyClinician(c: ClinicianIdentityCheck): Promise<SignedInUser> {
  const identity = await verifyIdToken(c.idToken, { issuer: c.issuer, audience: c.clientId, keys: c.keys, now: c.now });
  const practitionerId = identity.type === 'Practitioner' ? identity.id : null;
  const displayName =
    identity.name ??
    (practitionerId === null
      ? null
      : await readPractitionerName({
          fhirBaseUrl: c.fhirBaseUrl,
          practitionerId,
          tokens: { token: () => Promise.resolve(c.accessToken), invalidate: () => undefined },
          timeoutMs: c.timeoutMs,
          fetch: c.fetch,
        }));
  return {
    id: practitionerId ?? identity.fhirUser,
    practitionerId,
    fhirUser: identity.fhirUser,
    displayName,
    ...roleOfEhrUser(identity, c.userRoles),
  };
}

/**
 * The signed-in user as the API's actor, in the role IT's mapping or their fhirUser type gave them.
 * A Practitioner is vouched for by the EHR, so signs as themself; anyone else has no practitioner.
 */
export function actorOf(user: SignedInUser): Actor {
  const name = user.displayName ?? undefined;
  return {
    id: user.id,
    role: user.role,
    ...(user.practitionerId === null
      ? {}
      : { practitioner: { id: user.practitionerId, ...(name ? { name } : {}), vouchedBy: 'ehr-sign-in' as const } }),
  };
}

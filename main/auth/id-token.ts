import { createRemoteJWKSet, jwtVerify } from 'jose';
import type { JWTVerifyGetKey } from 'jose';
import { idTokenUnverified, noFhirUser, noIdToken, notAPractitioner } from './auth-errors.js';

/** The fhirUser types that are staff: a Patient or RelatedPerson (the patient's side) never signs in here. */
export const STAFF_USER_TYPES = ['Practitioner', 'PractitionerRole', 'Person'] as const;
export type StaffUserType = (typeof STAFF_USER_TYPES)[number];

/** Who signed in, as the EHR's signed id_token says. */
export interface VerifiedIdentity {
  readonly type: StaffUserType;
  readonly id: string;
  /** `Type/ID`, e.g. `Practitioner/123`. */
  readonly fhirUser: string;
  /** The id_token's `name` claim, when the EHR sends one (scope `profile`). */
  readonly name: string | null;
}

export interface IdTokenCheck {
  readonly issuer: string;
  /** Our client id: an id_token minted for another app is not ours to accept. */
  readonly audience: string;
  readonly keys: JWTVerifyGetKey;
  readonly now: () => number;
}

const FHIR_ID = /^[A-Za-z0-9.-]{1,64}$/;
const SIGNING_ALGS = ['RS256', 'RS384', 'RS512', 'ES256', 'ES384', 'ES512', 'PS256', 'PS384'];

/**
 * fhirUser is `Practitioner/ID` or, as some EHRs send it, the resource's full URL. Only the last
 * two path segments matter: the type and the id.
 */
export function parseFhirUser(value: unknown): { readonly type: string; readonly id: string } | undefined {
  if (typeof value !== 'string' || value.length > 2048) return undefined;
  let path = value;
  if (/^https?:\/\//i.test(value)) {
    try {
      path = new URL(value).pathname;
    } catch {
      return undefined;
    }
  }
  const parts = path.split('/').filter(Boolean);
  const [type, id] = parts.slice(-2);
  if (!type || !id || !/^[A-Z][A-Za-z]+$/.test(type) || !FHIR_ID.test(id)) return undefined;
  return { type, id };
}

/**
 * Checks the id_token's signature against the EHR's published keys, its issuer, audience and
 * lifetime, then reads fhirUser. fhirclient only decodes id_tokens; the identity that becomes the
 * app's actor (and signs notes) must be one the EHR vouched for.
 */
export async function verifyIdToken(idToken: string | undefined, check: IdTokenCheck): Promise<VerifiedIdentity> {
  if (!idToken) throw noIdToken();
  let claims: Record<string, unknown>;
  try {
    ({ payload: claims } = await jwtVerify(idToken, check.keys, {
      issuer: check.issuer,
      audience: check.audience,
      algorithms: SIGNING_ALGS,
      currentDate: new Date(check.now()),
      clockTolerance: 60,
    }));
  } catch (cause) {
    throw idTokenUnverified(cause);
  }
  const user = parseFhirUser(claims['fhirUser']);
  if (!user) throw noFhirUser();
  const type = STAFF_USER_TYPES.find((t) => t === user.type);
  if (!type) throw notAPractitioner(user.type);
  const name = typeof claims['name'] === 'string' && claims['name'].trim() !== '' ? claims['name'].trim().slice(0, 200) : null;
  return { type, id: user.id, fhirUser: `${type}/${user.id}`, name };
}

/** The EHR's signing keys, fetched from its jwks_uri when first needed and cached (jose refetches on an unknown kid). */
export function remoteKeySets(timeoutMs: number): (jwksUri: string) => JWTVerifyGetKey {
  const cache = new Map<string, JWTVerifyGetKey>();
  return (jwksUri) => {
    let keys = cache.get(jwksUri);
    if (!keys) {
      keys = createRemoteJWKSet(new URL(jwksUri), { timeoutDuration: timeoutMs });
      cache.set(jwksUri, keys);
    }
    return keys;
  };
}

import type { Actor } from '../kernel/actor.js';
import type { Signer } from './signed-content.js';
import { signerUnknownToEhr, signerUnresolved } from './signing-errors.js';

/** What the EHR says of a practitioner id; 'unknown' when it could not be asked (unreachable, not configured, no permission). */
export type PractitionerLookup =
  { readonly status: 'found'; readonly name?: string | undefined } | { readonly status: 'not_found' } | { readonly status: 'unknown' };

export interface SignerResolutionDeps {
  /** IT's link from a workstation account to the EHR practitioner it signs as (machine policy). */
  readonly mappedPractitioner: (workstationAccount: string) => string | undefined;
  /** Asks the EHR about a practitioner id. */
  readonly lookup: (practitionerId: string) => Promise<PractitionerLookup>;
}

export type SignerResolver = (actor: Actor) => Promise<Signer>;

/**
 * Who signs, as the EHR will be told, settled before anything is locked: the practitioner the EHR
 * vouched for at sign-in; else the one named on the command line; else IT's mapping of the
 * workstation account. A practitioner not vouched for by the EHR is checked against it where it can
 * be asked; one it does not know is refused, since a note signed under that id could never be filed.
 * Where the EHR cannot be asked, the signature goes ahead (delivery then reports any refusal).
 */
export function createSignerResolver(deps: SignerResolutionDeps): SignerResolver {
  return async (actor) => {
    const vouched = actor.practitioner;
    if (vouched?.vouchedBy === 'ehr-sign-in') return { id: vouched.id, ...(vouched.name ? { name: vouched.name } : {}) };
    const id = vouched?.id ?? deps.mappedPractitioner(actor.id);
    if (id === undefined) throw signerUnresolved();
    const known = await deps.lookup(id);
    if (known.status === 'not_found') throw signerUnknownToEhr();
    return known.status === 'found' && known.name ? { id, name: known.name } : { id };
  };
}

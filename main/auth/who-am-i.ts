import type { AuthStatus } from '../../shared/domain/auth.js';
import type { Identity, SignerSource } from '../../shared/domain/identity.js';
import type { Settings } from '../../shared/domain/policy.js';
import type { Actor } from '../kernel/actor.js';
import { mappedSignerSource } from '../signing/mapped-signer.js';
import type { PractitionerLookup } from '../signing/signer-resolution.js';

export interface WhoAmIDeps {
  readonly auth: { status(): AuthStatus; actor(): Actor | undefined };
  readonly settings: () => Pick<Settings, 'signerPractitioners' | 'fhirBaseUrl' | 'mllpHost' | 'ehrVendor'>;
  /** Whether this role may sign (machine policy `signingRoles`). */
  readonly maySign: (role: Actor['role']) => boolean;
  /** The demo EHR's clinician, for a workstation with no EHR configured. */
  readonly demoSigner: string | undefined;
  /** The app uses the demo EHR it started (no EHR configured): sign-in names it ("Sign in with Demo EHR"). */
  readonly demoEhrInUse?: () => boolean;
  /** Asks the EHR about a practitioner id (the signer resolution's check). */
  readonly lookup: (practitionerId: string) => Promise<PractitionerLookup>;
}

const EHR_NAMES: Record<Settings['ehrVendor'], string> = {
  generic: 'the EHR',
  epic: 'Epic',
  oracle: 'Oracle Health',
  athena: 'athenahealth',
};

/**
 * Who the actor of a call is, for the header and `scribe whoami`: the same answer the signer
 * resolution (main/signing/signer-resolution.ts) will give at signing, worked out without locking
 * anything. The UI offers Sign only when `maySign`; signing itself still checks everything again.
 */
export function createWhoAmI(deps: WhoAmIDeps): (actor: Actor) => Promise<Identity> {
  return async (actor) => {
    const settings = deps.settings();
    const status = deps.auth.status();
    const signedIn = status.user !== null && deps.auth.actor()?.id === actor.id ? status.user : null;
    const signIn = { available: status.configured, ehrName: deps.demoEhrInUse?.() ? 'Demo EHR' : EHR_NAMES[settings.ehrVendor] };
    const base = {
      actorId: actor.id,
      role: actor.role,
      roleFrom: signedIn ? signedIn.roleFrom : ('workstation' as const),
      signedIn,
      signIn,
    };
    if (!deps.maySign(actor.role)) {
      return { ...base, displayName: signedIn?.displayName ?? null, practitioner: null, maySign: false, signBlocked: 'role' };
    }
    const vouched = actor.practitioner;
    const settled: { id: string; name?: string | undefined; from: SignerSource } | undefined =
      vouched?.vouchedBy === 'ehr-sign-in'
        ? { id: vouched.id, name: vouched.name, from: 'ehr_sign_in' }
        : vouched
          ? { id: vouched.id, from: 'command_line' }
          : mappedSignerSource(settings, actor.id, deps.demoSigner);
    if (!settled)
      return { ...base, displayName: signedIn?.displayName ?? null, practitioner: null, maySign: false, signBlocked: 'no_practitioner' };
    const known = settled.from === 'ehr_sign_in' ? undefined : await deps.lookup(settled.id);
    const name = settled.name ?? (known?.status === 'found' ? known.name : undefined) ?? null;
    const practitioner = { id: settled.id, name, from: settled.from };
    const displayName = signedIn?.displayName ?? name;
    if (known?.status === 'not_found') return { ...base, displayName, practitioner, maySign: false, signBlocked: 'unknown_to_ehr' };
    return { ...base, displayName, practitioner, maySign: true, signBlocked: null };
  };
}

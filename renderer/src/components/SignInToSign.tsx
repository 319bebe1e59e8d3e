import type { Identity } from '../../../shared/domain/identity.js';

/**
 * Why Sign is not offered to the current user, in plain words. The server refuses the same cases
 * whatever the page does (signing.role_forbidden, signing.signer_unresolved, signing.signer_unknown).
 */
export function signBlockedText(identity: Identity | undefined, signingRoles: readonly string[]): string {
  switch (identity?.signBlocked) {
    case 'no_practitioner':
      return identity.signIn.available
        ? `Only a clinician signed in with ${identity.signIn.ehrName} can sign. Use “Sign in with ${identity.signIn.ehrName}” at the top of the window.`
        : 'Only a clinician signed in with the EHR can sign, and this computer’s account is not linked to an EHR practitioner. Ask IT to link it.';
    case 'unknown_to_ehr':
      return 'The EHR does not know the practitioner this account is linked to, so a note signed here could not be filed. Ask IT to correct the link.';
    case undefined:
      return 'Checking who can sign…';
    case 'role':
    case null:
      return `Only ${signingRoles.join(' or ')}s can sign notes on this workstation.`;
  }
}

export function SignInToSign({ identity, signingRoles }: { identity: Identity | undefined; signingRoles: readonly string[] }) {
  return <p className="muted">{signBlockedText(identity, signingRoles)}</p>;
}

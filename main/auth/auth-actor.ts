import type { Actor } from '../kernel/actor.js';

/**
 * The actor for each API call: the clinician signed in with SMART on FHIR (their Practitioner id,
 * role clinician) while there is one, otherwise `fallback` (the OS account in the app, SCRIBE_USER
 * in the CLI). Asked at every call, so signing in or out changes who acts from the next call on.
 */
export function signedInActor(auth: { actor(): Actor | undefined }, fallback: Actor): () => Actor {
  return () => auth.actor() ?? fallback;
}

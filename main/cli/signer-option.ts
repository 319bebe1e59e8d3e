import type { Actor } from '../kernel/actor.js';
import { invalidPractitionerId } from './cli-errors.js';
import { resolveActor } from './context.js';

/** A FHIR resource id (R4 `id`): the form the EHR gives its Practitioner ids in. */
const FHIR_ID = /^[A-Za-z0-9.-]{1,64}$/;

/** `--as`: a Practitioner id, or a `Practitioner/<id>` reference, as the id alone. */
export function practitionerIdOption(value: string): string {
  const id = value.startsWith('Practitioner/') ? value.slice('Practitioner/'.length) : value;
  if (!FHIR_ID.test(id)) throw invalidPractitionerId();
  return id;
}

/**
 * Who signs from the command line: the practitioner named with `--as` (checked against the EHR when
 * signing), else the account running the command, which signs only if IT linked it to a practitioner.
 */
export function signingActor(env: NodeJS.ProcessEnv, as: string | undefined): Actor {
  const account = resolveActor(env);
  return as === undefined ? account : { ...account, id: as, practitioner: { id: as, vouchedBy: 'command-line' } };
}

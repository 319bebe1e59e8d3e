import type { Role } from '../../shared/api/contract.js';

/** Who is acting: the signed-in practitioner, or the workstation user where nobody signed in. */
export interface Actor {
  readonly id: string;
  readonly role: Role;
  /**
   * The EHR practitioner this actor is, when something vouches for it: the EHR itself (SMART sign-in's
   * verified fhirUser) or the person running a command (`scribe visit sign --as`, checked against the
   * EHR). Absent for a workstation account: signing then needs IT's mapping to a practitioner.
   */
  readonly practitioner?: { readonly id: string; readonly name?: string; readonly vouchedBy: 'ehr-sign-in' | 'command-line' };
}

/** What every service call carries: the transport it came through and who made it. */
export interface CallContext {
  readonly transport: 'ipc' | 'web' | 'cli';
  readonly actor: Actor;
}

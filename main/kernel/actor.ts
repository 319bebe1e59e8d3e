import type { Role } from '../../shared/api/contract.js';

/** Who is acting: the signed-in practitioner, or the workstation user where nobody signed in. */
export interface Actor {
  readonly id: string;
  readonly role: Role;
}

/** What every service call carries: the transport it came through and who made it. */
export interface CallContext {
  readonly transport: 'ipc' | 'web' | 'cli';
  readonly actor: Actor;
}

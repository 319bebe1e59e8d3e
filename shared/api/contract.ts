import { z } from 'zod';
import { AuditVerifyReport } from '../domain/audit.js';
import { NewVisit, Visit, VisitState } from '../domain/visit.js';
import { IsoDateTime, VisitId } from '../ids.js';

/**
 * The one API contract. Each call is declared once here; Electron IPC, the loopback web bridge
 * and the CLI all serve the same handler table built against it (main/api/handlers.ts).
 * Channel names are `area:verb`; requests are always objects so calls can grow fields.
 */
const call = <Req extends z.ZodType, Res extends z.ZodType>(request: Req, response: Res) => ({ request, response });

export const Role = z.enum(['clinician', 'scribe', 'admin']);
export type Role = z.infer<typeof Role>;

export const AppInfo = z.object({
  name: z.string(),
  version: z.string(),
  transport: z.enum(['ipc', 'web', 'cli']),
  schemaVersion: z.number().int(),
  user: z.object({ id: z.string(), role: Role }),
});
export type AppInfo = z.infer<typeof AppInfo>;

export const VisitSummary = Visit.pick({ id: true, patientId: true, encounterId: true, state: true, createdAt: true, updatedAt: true }).extend({
  patientName: z.string().optional(),
});
export type VisitSummary = z.infer<typeof VisitSummary>;

export const VisitListRequest = z.object({
  /** Only visits created on or after this instant. */
  since: IsoDateTime.optional(),
  states: z.array(VisitState).optional(),
  limit: z.number().int().min(1).max(1000).default(200),
});

export const channels = {
  'app:info': call(z.object({}), AppInfo),
  'visit:create': call(NewVisit, Visit),
  'visit:list': call(VisitListRequest, z.object({ visits: z.array(VisitSummary) })),
  'visit:get': call(z.object({ id: VisitId }), Visit),
  'audit:verify': call(z.object({}), AuditVerifyReport),
} as const;

/** Events main pushes to every connected renderer. Payloads carry ids and states, never PHI. */
export const events = {
  'visit:changed': z.object({ visitId: VisitId, state: VisitState }),
} as const;

export type Channel = keyof typeof channels;
export type EventName = keyof typeof events;
/** What a caller sends (defaults optional). */
export type RequestIn<C extends Channel> = z.input<(typeof channels)[C]['request']>;
/** What a handler receives after validation (defaults filled in). */
export type RequestOf<C extends Channel> = z.output<(typeof channels)[C]['request']>;
export type ResponseOf<C extends Channel> = z.output<(typeof channels)[C]['response']>;
export type EventOf<E extends EventName> = z.output<(typeof events)[E]>;

export const channelNames = Object.keys(channels) as Channel[];
export const eventNames = Object.keys(events) as EventName[];

export function isChannel(name: unknown): name is Channel {
  return typeof name === 'string' && Object.hasOwn(channels, name);
}

export function isEventName(name: unknown): name is EventName {
  return typeof name === 'string' && Object.hasOwn(events, name);
}

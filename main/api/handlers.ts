import type { AppInfo } from '../../shared/api/contract.js';
import type { AuditLog } from '../audit/audit-log.js';
import type { VisitService } from '../visits/visit-service.js';
import type { HandlerTable } from './dispatch.js';

export interface HandlerDeps {
  readonly app: { readonly name: string; readonly version: string; readonly schemaVersion: number };
  readonly visits: VisitService;
  readonly audit: AuditLog;
}

/** The one handler table every transport serves. Handlers receive validated requests. */
export function createHandlers({ app, visits, audit }: HandlerDeps): HandlerTable {
  return {
    'app:info': (_request, ctx): AppInfo => ({ ...app, transport: ctx.transport, user: { id: ctx.actor.id, role: ctx.actor.role } }),
    'visit:create': (request, ctx) => visits.create(request, ctx.actor),
    'visit:list': (request) => ({ visits: visits.list(request) }),
    'visit:get': (request, ctx) => visits.get(request.id, ctx.actor),
    'audit:verify': () => audit.verify(),
  };
}

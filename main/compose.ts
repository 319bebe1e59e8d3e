import { createDispatcher } from './api/dispatch.js';
import type { Dispatch } from './api/dispatch.js';
import { createEventBus } from './api/event-bus.js';
import type { EventBus } from './api/event-bus.js';
import { createHandlers } from './api/handlers.js';
import { createAuditLog } from './audit/audit-log.js';
import type { AuditLog } from './audit/audit-log.js';
import type { Logger } from './log/logger.js';
import { nullLogger } from './log/logger.js';
import { appIdentity } from './app-identity.js';
import type { Clock } from './store/clock.js';
import type { KeyProvider } from './store/key-provider.js';
import { LATEST_SCHEMA_VERSION } from './store/migrations/index.js';
import { openStore } from './store/store.js';
import type { OpenMode, Store } from './store/store.js';
import { createSqliteVisitRepository } from './store/visit-repository.js';
import { createVisitService } from './visits/visit-service.js';

export interface ScribeOptions {
  readonly dataDir: string;
  readonly keyProvider: KeyProvider;
  readonly mode?: OpenMode;
  readonly logger?: Logger;
  readonly clock?: Clock;
  /** Who opened the store, for the audit record of a new store. */
  readonly actorId?: string;
}

/** Every service, wired once: the composition root shared by Electron, the CLI and the web bridge. */
export interface Scribe {
  readonly store: Store;
  readonly audit: AuditLog;
  readonly events: EventBus;
  readonly dispatch: Dispatch;
  close(): void;
}

export function openScribe(options: ScribeOptions): Scribe {
  const logger = options.logger ?? nullLogger;
  const store = openStore({ dataDir: options.dataDir, keyProvider: options.keyProvider, mode: options.mode ?? 'open', clock: options.clock });
  const audit = createAuditLog(store);
  if (store.created) audit.append({ actor: options.actorId ?? 'system', action: 'store.created', objectType: 'store', objectId: 'local' });
  const events = createEventBus();
  const visits = createVisitService({ store, visits: createSqliteVisitRepository(store), audit, events });
  const handlers = createHandlers({ app: { ...appIdentity, schemaVersion: LATEST_SCHEMA_VERSION }, visits, audit });
  const dispatch = createDispatcher(handlers, logger);
  logger.info('store.opened', { created: store.created, schemaVersion: LATEST_SCHEMA_VERSION });
  return { store, audit, events, dispatch, close: () => store.close() };
}

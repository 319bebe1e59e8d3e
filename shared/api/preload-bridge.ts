import type { Channel, EventName } from './contract.js';
import type { ApiResult } from './errors.js';

/** Name of the global the preload exposes through contextBridge: `window.scribe`. */
export const PRELOAD_GLOBAL = 'scribe';

/**
 * What the preload exposes: one single-purpose function per channel (the key is the channel
 * name) and `on` for main-pushed events. Raw results, not the typed client: the renderer wraps
 * this in a Transport for createApiClient (client.ts), which validates nothing and throws on errors.
 */
export type PreloadBridge = { readonly [C in Channel]: (request: unknown) => Promise<ApiResult<unknown>> } & {
  on(event: EventName, listener: (payload: unknown) => void): () => void;
};

/** The one IPC channel main uses to push events; its message is `{ event, payload }`. */
export const EVENT_CHANNEL = 'scribe:event';

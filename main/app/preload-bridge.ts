import type { Channel } from '../../shared/api/contract.js';
import { channelNames, isEventName } from '../../shared/api/contract.js';
import type { ApiResult } from '../../shared/api/errors.js';
import { EVENT_CHANNEL } from '../../shared/api/preload-bridge.js';
import type { PreloadBridge } from '../../shared/api/preload-bridge.js';

/**
 * Builds what the preload exposes on window.scribe. Pure (ipcRenderer is a parameter) so it is
 * tested in Node; main/preload.ts only passes Electron's ipcRenderer and exposes the result.
 * The page never gets ipcRenderer itself, nor the IPC event object (its `sender` is ipcRenderer).
 */
export interface IpcRendererLike {
  invoke(channel: string, ...args: unknown[]): Promise<unknown>;
  on(channel: string, listener: (event: unknown, ...args: unknown[]) => void): unknown;
  removeListener(channel: string, listener: (event: unknown, ...args: unknown[]) => void): unknown;
}

type Invokers = { -readonly [C in Channel]: (request: unknown) => Promise<ApiResult<unknown>> };

export function createPreloadBridge(ipcRenderer: IpcRendererLike): PreloadBridge {
  const invokers = {} as Invokers;
  for (const channel of channelNames) {
    // One fixed channel per function: the page cannot choose the channel name.
    invokers[channel] = (request: unknown) => ipcRenderer.invoke(channel, request) as Promise<ApiResult<unknown>>;
  }

  const on: PreloadBridge['on'] = (event, listener) => {
    if (!isEventName(event)) throw new TypeError('Unknown event name.');
    if (typeof listener !== 'function') throw new TypeError('The listener must be a function.');
    const forward = (_ipcEvent: unknown, message: unknown) => {
      if (typeof message !== 'object' || message === null) return;
      const { event: name, payload } = message as { event?: unknown; payload?: unknown };
      if (name === event) listener(payload);
    };
    ipcRenderer.on(EVENT_CHANNEL, forward);
    let subscribed = true;
    return () => {
      if (!subscribed) return;
      subscribed = false;
      ipcRenderer.removeListener(EVENT_CHANNEL, forward);
    };
  };

  return Object.freeze({ ...invokers, on }) satisfies PreloadBridge;
}

import { contextBridge, ipcRenderer } from 'electron';
import { PRELOAD_GLOBAL } from '../shared/api/preload-bridge.js';
import type { PreloadBridge } from '../shared/api/preload-bridge.js';
import { createPreloadBridge } from './app/preload-bridge.js';

/**
 * Sandboxed preload, bundled by esbuild to dist/preload.cjs (a sandboxed preload can only
 * require 'electron'). It exposes one function per API channel and `on` for events as
 * window.scribe; main checks the sending frame again on every call (main/app/ipc.ts).
 */
const bridge = createPreloadBridge(ipcRenderer) satisfies PreloadBridge;

contextBridge.exposeInMainWorld(PRELOAD_GLOBAL, bridge);

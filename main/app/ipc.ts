import type { Actor } from '../kernel/actor.js';
import type { Dispatch } from '../api/dispatch.js';
import type { EventBus } from '../kernel/event-bus.js';
import { channelNames } from '../../shared/api/contract.js';
import type { ApiResult } from '../../shared/api/errors.js';
import { EVENT_CHANNEL } from '../../shared/api/preload-bridge.js';
import { isAppUrl } from './app-origin.js';

/** The parts of Electron's WebFrameMain the sender check reads; structural so tests can fake it. */
export interface FrameLike {
  readonly url: string;
  readonly parent?: FrameLike | null;
  readonly processId?: number;
  readonly routingId?: number;
}

/**
 * A call is trusted only from the main frame of our window showing our own origin. A sub frame,
 * a page that navigated elsewhere, or any other window is refused even though it reached the
 * preload's functions.
 */
export function isTrustedSender(frame: FrameLike | null | undefined, mainFrame?: FrameLike | null): boolean {
  if (frame === null || frame === undefined) return false;
  if (frame.parent !== null && frame.parent !== undefined) return false;
  if (!isAppUrl(frame.url)) return false;
  if (mainFrame === undefined) return true;
  if (mainFrame === null) return false;
  if (frame === mainFrame) return true;
  return (
    frame.processId !== undefined &&
    frame.routingId !== undefined &&
    frame.processId === mainFrame.processId &&
    frame.routingId === mainFrame.routingId
  );
}

export interface InvokeEventLike {
  readonly senderFrame: FrameLike | null;
}

export interface IpcMainLike {
  handle(channel: string, listener: (event: InvokeEventLike, ...args: unknown[]) => unknown): void;
  removeHandler(channel: string): void;
}

export interface MainWindowLike {
  isDestroyed(): boolean;
  readonly webContents: {
    readonly mainFrame: FrameLike;
    isDestroyed(): boolean;
    send(channel: string, ...args: unknown[]): void;
  };
}

export interface IpcOptions {
  readonly ipcMain: IpcMainLike;
  readonly dispatch: Dispatch;
  readonly events: EventBus;
  readonly getMainWindow: () => MainWindowLike | null | undefined;
  /** Who is acting, asked at each call: the signed-in clinician when there is one (main/auth). */
  readonly actor: Actor | (() => Actor);
}

const FORBIDDEN: ApiResult<never> = Object.freeze({
  ok: false,
  error: Object.freeze({ code: 'forbidden', message: 'Request from an untrusted frame was refused.' }),
});

const INTERNAL: ApiResult<never> = Object.freeze({
  ok: false,
  error: Object.freeze({ code: 'internal', message: 'Something went wrong inside Ambient Scribe. Try again.' }),
});

function liveWindow(getMainWindow: IpcOptions['getMainWindow']): MainWindowLike | null {
  const window = getMainWindow();
  if (!window || window.isDestroyed() || window.webContents.isDestroyed()) return null;
  return window;
}

/**
 * Registers one handler per contract channel (unknown channels have no handler, so Electron
 * rejects them) and forwards main-side events to the window. Returns a function that undoes both.
 */
export function registerIpcHandlers(options: IpcOptions): () => void {
  const { ipcMain, dispatch, events, getMainWindow, actor } = options;
  for (const channel of channelNames) {
    ipcMain.handle(channel, async (event, request) => {
      const window = liveWindow(getMainWindow);
      if (window === null || !isTrustedSender(event.senderFrame, window.webContents.mainFrame)) return FORBIDDEN;
      try {
        return await dispatch(channel, request, { transport: 'ipc', actor: typeof actor === 'function' ? actor() : actor });
      } catch {
        // dispatch turns handler failures into results; this guards against a bug in it, without detail.
        return INTERNAL;
      }
    });
  }
  const unsubscribe = events.subscribeAll((event, payload) => {
    liveWindow(getMainWindow)?.webContents.send(EVENT_CHANNEL, { event, payload });
  });
  return () => {
    unsubscribe();
    for (const channel of channelNames) ipcMain.removeHandler(channel);
  };
}

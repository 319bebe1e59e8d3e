import type { ReactNode } from 'react';
import { createContext, useContext, useSyncExternalStore } from 'react';
import type { ScribeApi } from '../../shared/api/client.js';
import type { Role } from '../../shared/api/contract.js';
import type { Identity } from '../../shared/domain/identity.js';
import type { Recorder, RecorderSnapshot } from './recording/recorder.js';
import type { ShortcutStart } from './recording/record-shortcut.js';

/** What every view may use: the API, who is signed in, the one recorder, and a way to tell screen readers. */
export interface AppServices {
  readonly api: ScribeApi;
  readonly recorder: Recorder;
  readonly user: { readonly id: string; readonly role: Role } | undefined;
  /** Who acts and whether Sign is offered to them (auth:whoami); undefined until loaded. */
  readonly identity: Identity | undefined;
  /** Says something politely through the app's live region (and shows it in the header). */
  readonly announce: (message: string) => void;
  /** The open visit view registers what the start/stop shortcut should do when nothing is recording. */
  readonly setShortcutStart: (start: ShortcutStart | undefined) => void;
}

const AppContext = createContext<AppServices | null>(null);

export function AppServicesProvider({ value, children }: { value: AppServices; children: ReactNode }) {
  return <AppContext.Provider value={value}>{children}</AppContext.Provider>;
}

export function useApp(): AppServices {
  const services = useContext(AppContext);
  if (!services) throw new Error('useApp outside AppServicesProvider');
  return services;
}

export function useRecorderState(recorder: Recorder): RecorderSnapshot {
  return useSyncExternalStore(recorder.subscribe, recorder.getSnapshot);
}

const isMac = typeof navigator !== 'undefined' && /Mac|iPhone|iPad/.test(navigator.platform);

/** Start/stop recording from anywhere in the app. Not Ctrl+Shift+R: that is the browser's and Electron's hard reload. */
export const RECORD_SHORTCUT = {
  label: isMac ? '⌘ Shift Space' : 'Ctrl+Shift+Space',
  aria: isMac ? 'Meta+Shift+Space' : 'Control+Shift+Space',
  matches: (event: KeyboardEvent) => event.code === 'Space' && event.shiftKey && !event.altKey && (isMac ? event.metaKey : event.ctrlKey),
};

import type { GlobalShortcutStatus } from '../../shared/domain/global-shortcut.js';

/**
 * What only the Electron shell can do, offered to the handler table (main/app/main.ts passes the
 * real one). The web bridge and the CLI have no OS-wide shortcut and no window of their own.
 */
export interface DesktopShell {
  globalShortcutStatus(): GlobalShortcutStatus;
  /** Brings the window to the front; false when it was not (no press just before, no window). */
  raiseWindow(): boolean;
}

export const noDesktopShell: DesktopShell = {
  globalShortcutStatus: () => ({ state: 'not_desktop', accelerator: null }),
  raiseWindow: () => false,
};

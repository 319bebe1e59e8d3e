import { useEffect, useState } from 'react';
import type { ScribeApi } from '../../../shared/api/client.js';
import type { GlobalShortcutStatus } from '../../../shared/domain/global-shortcut.js';

/** Whether the OS-wide start/stop shortcut works, asked again whenever the settings change. */
export function useGlobalShortcut(api: ScribeApi): GlobalShortcutStatus | undefined {
  const [status, setStatus] = useState<GlobalShortcutStatus | undefined>(undefined);
  useEffect(() => {
    let live = true;
    const load = () =>
      void api.app.globalShortcut().then(
        (next) => live && setStatus(next),
        () => live && setStatus(undefined),
      );
    load();
    const off = api.on('settings:changed', (event) => event.keys.includes('globalShortcut') && load());
    return () => {
      live = false;
      off();
    };
  }, [api]);
  return status;
}

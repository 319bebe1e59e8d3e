import { useCallback, useEffect, useRef, useState } from 'react';
import type { ScribeApi } from '../../../shared/api/client.js';
import type { SettingsView } from '../../../shared/domain/policy.js';
import { errorText } from '../error-text.js';

export interface SettingsState {
  readonly view: SettingsView | undefined;
  readonly error: string | undefined;
  readonly reload: () => void;
  readonly replace: (view: SettingsView) => void;
}

/** The effective settings, reloaded whenever main says some changed. */
export function useSettings(api: ScribeApi): SettingsState {
  const [view, setView] = useState<SettingsView | undefined>(undefined);
  const [error, setError] = useState<string | undefined>(undefined);
  const ticket = useRef(0);
  const reload = useCallback(() => {
    const mine = ++ticket.current;
    api.settings.get().then(
      (next) => {
        if (mine !== ticket.current) return;
        setView(next);
        setError(undefined);
      },
      (failure: unknown) => mine === ticket.current && setError(errorText(failure)),
    );
  }, [api]);
  useEffect(() => {
    reload();
    const off = api.on('settings:changed', reload);
    return () => {
      off();
      ticket.current++;
    };
  }, [api, reload]);
  const replace = useCallback((next: SettingsView) => {
    ticket.current++;
    setView(next);
  }, []);
  return { view, error, reload, replace };
}

import { useEffect, useState } from 'react';
import type { ScribeApi } from '../../../shared/api/client.js';
import type { AppInfo } from '../../../shared/api/contract.js';
import { errorText } from '../error-text.js';

export type AppInfoState =
  | { readonly status: 'loading' }
  | { readonly status: 'ready'; readonly info: AppInfo }
  | { readonly status: 'error'; readonly message: string };

export function useAppInfo(api: ScribeApi): AppInfoState {
  const [state, setState] = useState<AppInfoState>({ status: 'loading' });
  useEffect(() => {
    let current = true;
    api.app.info().then(
      (info) => current && setState({ status: 'ready', info }),
      (failure: unknown) => current && setState({ status: 'error', message: errorText(failure) }),
    );
    return () => {
      current = false;
    };
  }, [api]);
  return state;
}

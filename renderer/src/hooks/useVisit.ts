import { useEffect, useState } from 'react';
import type { ScribeApi } from '../../../shared/api/client.js';
import type { Visit } from '../../../shared/domain/visit.js';
import { errorText } from '../error-text.js';

export type VisitState =
  | { readonly status: 'loading' }
  | { readonly status: 'ready'; readonly visit: Visit }
  | { readonly status: 'error'; readonly message: string };

/**
 * One visit, read once (each read is an audited view) and kept current from `visit:changed`
 * events, which carry the new state.
 */
export function useVisit(api: ScribeApi, visitId: string): VisitState {
  const [state, setState] = useState<VisitState>({ status: 'loading' });
  useEffect(() => {
    let current = true;
    setState({ status: 'loading' });
    api.visit.get({ id: visitId }).then(
      (visit) => current && setState({ status: 'ready', visit }),
      (failure: unknown) => current && setState({ status: 'error', message: errorText(failure) }),
    );
    const setVisitState = (state: Visit['state']) =>
      setState((previous) =>
        previous.status === 'ready' && previous.visit.state !== state ? { status: 'ready', visit: { ...previous.visit, state } } : previous,
      );
    // Main announces every committed state change (capture, drafting, edits, sign-off, delivery).
    const offs = [api.on('visit:changed', (event) => event.visitId === visitId && setVisitState(event.state))];
    return () => {
      current = false;
      for (const off of offs) off();
    };
  }, [api, visitId]);
  return state;
}

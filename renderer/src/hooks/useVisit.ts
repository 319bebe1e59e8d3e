import { useEffect, useState } from 'react';
import type { ScribeApi } from '../../../shared/api/client.js';
import type { Visit } from '../../../shared/domain/visit.js';
import { errorText } from '../error-text.js';

export type VisitState = { readonly status: 'loading' } | { readonly status: 'ready'; readonly visit: Visit } | { readonly status: 'error'; readonly message: string };

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
      setState((previous) => (previous.status === 'ready' && previous.visit.state !== state ? { status: 'ready', visit: { ...previous.visit, state } } : previous));
    // Some services move a visit on without a visit:changed event (a draft saved, a delivery done):
    // after their own events, read the state again (capture:status is cheap and not an audited view).
    const refresh = (event: { visitId: string }) => {
      if (event.visitId !== visitId) return;
      api.capture.status({ visitId }).then(
        (status) => current && setVisitState(status.visitState),
        () => undefined,
      );
    };
    const offs = [
      api.on('visit:changed', (event) => event.visitId === visitId && setVisitState(event.state)),
      api.on('note:changed', refresh),
      api.on('outbox:changed', refresh),
    ];
    return () => {
      current = false;
      for (const off of offs) off();
    };
  }, [api, visitId]);
  return state;
}

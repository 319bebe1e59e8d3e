import { useEffect, useState } from 'react';

export const routes = [
  { id: 'visits', label: 'Visits' },
  { id: 'review', label: 'Review' },
  { id: 'outbox', label: 'Outbox' },
  { id: 'settings', label: 'Settings' },
  /** Only while the app uses the demo EHR it started (AppNav hides it otherwise). */
  { id: 'received', label: 'What the EHR received' },
] as const;

export type RouteId = (typeof routes)[number]['id'];

/** Where the app is: a view, and for Visits and Review optionally one visit (`#/visits/ID`, `#/review/ID`). */
export interface Route {
  readonly id: RouteId;
  readonly visitId?: string | undefined;
}

const DEFAULT_ROUTE: RouteId = 'visits';
const VISIT_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function routeHref(route: RouteId, visitId?: string): string {
  return visitId ? `#/${route}/${visitId}` : `#/${route}`;
}

export function parseRoute(hash: string): Route | undefined {
  const [id, visitId, ...rest] = hash.replace(/^#\/?/, '').split('/');
  const known = routes.find((route) => route.id === id)?.id;
  if (!known || rest.length > 0) return undefined;
  if (visitId === undefined || visitId === '') return { id: known };
  if ((known !== 'visits' && known !== 'review') || !VISIT_ID.test(visitId)) return undefined;
  return { id: known, visitId: visitId.toLowerCase() };
}

export function navigate(route: RouteId, visitId?: string): void {
  window.location.hash = routeHref(route, visitId);
}

/** The current view, from `#/visits`-style addresses; an unknown address shows the default view. */
export function useHashRoute(): Route {
  const [route, setRoute] = useState<Route>(() => parseRoute(window.location.hash) ?? { id: DEFAULT_ROUTE });
  useEffect(() => {
    const sync = () => {
      // A fresh `#token=` link pasted into this tab: main.tsx reloads the page to take it up.
      if (window.location.hash.startsWith('#token=')) return;
      const next = parseRoute(window.location.hash);
      if (next) {
        setRoute((previous) => (previous.id === next.id && previous.visitId === next.visitId ? previous : next));
      } else {
        history.replaceState(null, '', routeHref(DEFAULT_ROUTE));
        setRoute({ id: DEFAULT_ROUTE });
      }
    };
    sync();
    window.addEventListener('hashchange', sync);
    return () => window.removeEventListener('hashchange', sync);
  }, []);
  return route;
}

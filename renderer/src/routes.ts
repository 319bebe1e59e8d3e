import { useEffect, useState } from 'react';

export const routes = [
  { id: 'visits', label: 'Visits' },
  { id: 'review', label: 'Review' },
  { id: 'outbox', label: 'Outbox' },
  { id: 'settings', label: 'Settings' },
] as const;

export type RouteId = (typeof routes)[number]['id'];

const DEFAULT_ROUTE: RouteId = 'visits';

export function routeHref(route: RouteId): string {
  return `#/${route}`;
}

function routeFromHash(hash: string): RouteId | undefined {
  const id = hash.replace(/^#\/?/, '');
  return routes.find((route) => route.id === id)?.id;
}

/** The current view, from `#/visits`-style addresses; an unknown address shows the default view. */
export function useHashRoute(): RouteId {
  const [route, setRoute] = useState<RouteId>(() => routeFromHash(window.location.hash) ?? DEFAULT_ROUTE);
  useEffect(() => {
    const sync = () => {
      // A fresh `#token=` link pasted into this tab: main.tsx reloads the page to take it up.
      if (window.location.hash.startsWith('#token=')) return;
      const next = routeFromHash(window.location.hash);
      if (next) {
        setRoute(next);
      } else {
        history.replaceState(null, '', routeHref(DEFAULT_ROUTE));
        setRoute(DEFAULT_ROUTE);
      }
    };
    sync();
    window.addEventListener('hashchange', sync);
    return () => window.removeEventListener('hashchange', sync);
  }, []);
  return route;
}

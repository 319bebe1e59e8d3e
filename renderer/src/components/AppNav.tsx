import type { RouteId } from '../routes.js';
import { routeHref, routes } from '../routes.js';

export function AppNav({ current, demoEhr = false }: { current: RouteId; demoEhr?: boolean }) {
  return (
    <nav className="app-nav" aria-label="Main">
      <ul>
        {routes
          .filter((route) => route.id !== 'received' || demoEhr)
          .map((route) => (
            <li key={route.id}>
              <a href={routeHref(route.id)} aria-current={route.id === current ? 'page' : undefined}>
                {route.label}
              </a>
            </li>
          ))}
      </ul>
    </nav>
  );
}

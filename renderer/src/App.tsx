import { useEffect, useRef } from 'react';
import type { ScribeApi } from '../../shared/api/client.js';
import { AppHeader } from './components/AppHeader.js';
import { AppNav } from './components/AppNav.js';
import { useAppInfo } from './hooks/useAppInfo.js';
import type { RouteId } from './routes.js';
import { useHashRoute } from './routes.js';
import { OutboxView } from './views/OutboxView.js';
import { ReviewView } from './views/ReviewView.js';
import { SettingsView } from './views/SettingsView.js';
import { VisitsView } from './views/VisitsView.js';

function CurrentView({ route, api, info }: { route: RouteId; api: ScribeApi; info: ReturnType<typeof useAppInfo> }) {
  switch (route) {
    case 'visits':
      return <VisitsView api={api} />;
    case 'review':
      return <ReviewView />;
    case 'outbox':
      return <OutboxView />;
    case 'settings':
      return <SettingsView api={api} info={info} />;
  }
}

export function App({ api }: { api: ScribeApi }) {
  const route = useHashRoute();
  const info = useAppInfo(api);
  const main = useRef<HTMLElement>(null);
  const firstRoute = useRef(route);

  // After navigating, move focus to the new view's heading so screen readers announce it;
  // on first load leave focus where the browser put it.
  useEffect(() => {
    if (route === firstRoute.current) return;
    firstRoute.current = route;
    main.current?.querySelector<HTMLElement>('h1')?.focus();
  }, [route]);

  return (
    <div className="app">
      <AppHeader info={info} />
      <div className="app-body">
        <AppNav current={route} />
        <main className="app-main" ref={main}>
          <CurrentView route={route} api={api} info={info} />
        </main>
      </div>
    </div>
  );
}

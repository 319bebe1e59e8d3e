import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { ScribeApi } from '../../shared/api/client.js';
import type { AppServices } from './app-context.js';
import { AppServicesProvider, RECORD_SHORTCUT, useRecorderState } from './app-context.js';
import { AppHeader } from './components/AppHeader.js';
import { AppNav } from './components/AppNav.js';
import { useAppInfo } from './hooks/useAppInfo.js';
import { useIdentity } from './hooks/useIdentity.js';
import { useEhrLaunchLanding } from './hooks/useEhrLaunchLanding.js';
import type { AppInfoState } from './hooks/useAppInfo.js';
import { Recorder } from './recording/recorder.js';
import { createRecordShortcut } from './recording/record-shortcut.js';
import type { ShortcutStart } from './recording/record-shortcut.js';
import type { Route } from './routes.js';
import { navigate, useHashRoute } from './routes.js';
import { OutboxView } from './views/OutboxView.js';
import { ReviewQueueView } from './views/ReviewQueueView.js';
import { ReviewView } from './views/ReviewView.js';
import { SettingsView } from './views/SettingsView.js';
import { VisitView } from './views/VisitView.js';
import { VisitsView } from './views/VisitsView.js';
import { DemoEhrView } from './views/DemoEhrView.js';
import { DemoEhrBadge, useDemoEhrInUse } from './components/DemoEhrBadge.js';

function CurrentView({ route, info }: { route: Route; info: AppInfoState }) {
  switch (route.id) {
    case 'visits':
      return route.visitId ? <VisitView key={route.visitId} visitId={route.visitId} /> : <VisitsView />;
    case 'review':
      return route.visitId ? <ReviewView key={route.visitId} visitId={route.visitId} /> : <ReviewQueueView />;
    case 'outbox':
      return <OutboxView />;
    case 'settings':
      return <SettingsView info={info} />;
    case 'received':
      return <DemoEhrView />;
  }
}

/** Window titles never name a patient: only the app and, while it runs, that a recording is on. */
function useWindowTitle(phase: string): void {
  useEffect(() => {
    document.title =
      phase === 'recording' ? 'Recording — Ambient Scribe' : phase === 'paused' ? 'Recording paused — Ambient Scribe' : 'Ambient Scribe';
  }, [phase]);
}

export function App({ api }: { api: ScribeApi }) {
  const route = useHashRoute();
  const info = useAppInfo(api);
  const identity = useIdentity(api);
  useEhrLaunchLanding(api, identity.auth);
  const demoEhr = useDemoEhrInUse(api);
  const recorder = useMemo(() => new Recorder(api), [api]);
  const recording = useRecorderState(recorder);
  const main = useRef<HTMLElement>(null);
  const routeKey = `${route.id}/${route.visitId ?? ''}`;
  const firstRoute = useRef(routeKey);
  const shortcutStart = useRef<ShortcutStart | undefined>(undefined);
  const [announcement, setAnnouncement] = useState('');

  const announce = useCallback((message: string) => {
    // Clearing first makes a repeated message be spoken again.
    setAnnouncement('');
    requestAnimationFrame(() => setAnnouncement(message));
  }, []);

  const services = useMemo<AppServices>(
    () => ({
      api,
      recorder,
      // Whoever signed in with the EHR acts from the next call on; until then the workstation account.
      user: identity.identity
        ? { id: identity.identity.actorId, role: identity.identity.role }
        : info.status === 'ready'
          ? info.info.user
          : undefined,
      identity: identity.identity,
      announce,
      setShortcutStart: (start) => (shortcutStart.current = start),
    }),
    [api, recorder, info, identity.identity, announce],
  );

  useWindowTitle(recording.phase);

  // After navigating, move focus to the new view's heading so screen readers announce it;
  // on first load leave focus where the browser put it.
  useEffect(() => {
    if (routeKey === firstRoute.current) return;
    firstRoute.current = routeKey;
    main.current?.querySelector<HTMLElement>('h1')?.focus();
  }, [routeKey]);

  // The start/stop shortcut works from every view, inside the window (keys) and, in the desktop
  // app, from any program (app:shortcut, main/app/global-shortcut.ts): one action for both.
  useEffect(() => {
    const toggle = createRecordShortcut({
      recorder,
      announce,
      start: () => shortcutStart.current,
      showVisits: () => navigate('visits'),
      bringToFront: () => void api.app.raiseWindow().catch(() => undefined),
    });
    const onKey = (event: KeyboardEvent) => {
      if (!RECORD_SHORTCUT.matches(event)) return;
      event.preventDefault();
      if (!event.repeat) toggle('window');
    };
    window.addEventListener('keydown', onKey, true);
    const off = api.on('app:shortcut', (event) => event.action === 'toggleRecording' && toggle('global'));
    return () => {
      window.removeEventListener('keydown', onKey, true);
      off();
    };
  }, [api, recorder, announce]);

  return (
    <AppServicesProvider value={services}>
      <div className="app">
        <AppHeader api={api} info={info} identity={identity} />
        <DemoEhrBadge inUse={demoEhr} />
        <div className="app-body">
          <AppNav current={route.id} demoEhr={demoEhr} />
          <main className="app-main" ref={main}>
            <CurrentView route={route} info={info} />
          </main>
        </div>
        <div className="visually-hidden" role="status" aria-live="polite">
          {announcement}
        </div>
      </div>
    </AppServicesProvider>
  );
}

/** What the open visit page did when asked to start: started, or showed its consent step instead. */
export type ShortcutStartResult = 'starting' | 'needs_consent';
export type ShortcutStart = () => ShortcutStartResult;

/** `window`: the keys inside the app's window. `global`: the OS-wide shortcut, maybe with another program in front. */
export type ShortcutSource = 'window' | 'global';

export interface RecordShortcutDeps {
  /** The app's Recorder (structural: this file is tested in Node, without the browser's audio APIs). */
  readonly recorder: { getSnapshot(): { readonly phase: string }; stop(): Promise<boolean> };
  readonly announce: (message: string) => void;
  /** What the open visit page registered, when it can start a recording now. */
  readonly start: () => ShortcutStart | undefined;
  /** Shows the visits list. */
  readonly showVisits: () => void;
  /** Asks main to bring the window forward (it only does just after a global press). */
  readonly bringToFront: () => void;
  readonly now?: () => number;
}

/** The in-window keys and the OS-wide shortcut can both see one press; closer than this is one press. */
export const SAME_PRESS_MS = 400;

/**
 * One start/stop action for the in-window shortcut and the global one. Stopping and starting with
 * consent happen where the window is, so another program in front (the EHR) stays in front. When
 * something needs the clinician (consent, choosing a visit) a global press brings the window
 * forward on that step; nothing starts without consent.
 */
export function createRecordShortcut(deps: RecordShortcutDeps): (source: ShortcutSource) => void {
  const now = deps.now ?? Date.now;
  let last = Number.NEGATIVE_INFINITY;
  return (source) => {
    const at = now();
    if (at - last < SAME_PRESS_MS) return;
    last = at;
    const phase = deps.recorder.getSnapshot().phase;
    if (phase === 'recording' || phase === 'paused') {
      void deps.recorder.stop().then((stopped) => stopped && deps.announce('Recording stopped. The visit is being transcribed.'));
      return;
    }
    // Starting or stopping already: a second press must not undo the first.
    if (phase !== 'idle') return;
    const start = deps.start();
    if (start) {
      if (start() === 'needs_consent' && source === 'global') deps.bringToFront();
      return;
    }
    deps.announce('Open a visit to start recording.');
    if (source === 'global') {
      deps.showVisits();
      deps.bringToFront();
    }
  };
}

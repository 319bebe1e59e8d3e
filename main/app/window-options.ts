import type { BrowserWindowConstructorOptions } from 'electron';

/** Window titles are visible to screen recorders, the task bar and window managers: never PHI. */
export const WINDOW_TITLE = 'Ambient Scribe';

export interface WindowOptionsInput {
  /** Absolute path of the bundled, sandboxed preload (dist/preload.cjs). */
  readonly preloadPath: string;
  /** A fixed, non-PHI title; defaults to the product name. */
  readonly title?: string;
  /** Paint colour before the renderer's first frame, to avoid a white flash in a dark theme. */
  readonly backgroundColor?: string;
  /** DevTools only in development builds (pass `!app.isPackaged`). */
  readonly devTools?: boolean;
}

/**
 * Options for the one main window. Each web preference is set to its secure value explicitly,
 * even where that is Electron's default, so a change of default or a careless edit shows up
 * in review and in the tests.
 */
export function buildWindowOptions(input: WindowOptionsInput): BrowserWindowConstructorOptions {
  return {
    title: input.title ?? WINDOW_TITLE,
    width: 1280,
    height: 800,
    minWidth: 1024,
    minHeight: 700,
    show: false,
    ...(input.backgroundColor === undefined ? {} : { backgroundColor: input.backgroundColor }),
    webPreferences: {
      preload: input.preloadPath,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      experimentalFeatures: false,
      webviewTag: false,
      // Middle-click on a link: another way to ask for a new window, which we always deny anyway.
      disableBlinkFeatures: 'Auxclick',
      // Some platforms' spellcheckers send words to a cloud service: that would be PHI.
      spellcheck: false,
      safeDialogs: true,
      navigateOnDragDrop: false,
      devTools: input.devTools ?? false,
    },
  };
}

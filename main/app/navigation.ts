import { isAppUrl } from './app-origin.js';

/**
 * A page that navigates away from app://scribe (a pasted link, a redirect, a drag-and-drop)
 * would keep the preload's API in a foreign page, or show PHI next to someone else's content.
 * Only in-app navigation is allowed; new windows and <webview> never. External links are not
 * opened in this version, so shell.openExternal is never reached with untrusted input.
 */

export function isNavigationAllowed(url: unknown): boolean {
  return isAppUrl(url);
}

export function windowOpenDecision(): { action: 'deny' } {
  return { action: 'deny' };
}

interface PreventableEvent {
  preventDefault(): void;
}

/** The parts of WebContents this module wires; structural so tests can pass a fake. */
export interface HardenableContents {
  on(event: 'will-navigate', listener: (event: PreventableEvent & { url?: string }, url: string) => void): unknown;
  on(event: 'will-frame-navigate', listener: (event: PreventableEvent & { url: string }) => void): unknown;
  on(event: 'will-redirect', listener: (event: PreventableEvent & { url?: string }, url: string) => void): unknown;
  on(event: 'will-attach-webview', listener: (event: PreventableEvent) => void): unknown;
  setWindowOpenHandler(handler: () => { action: 'deny' }): void;
}

/** Electron 45 passes the URL in the event details and, deprecated, as an argument: both must pass. */
function mayNavigate(event: { url?: string }, url: unknown): boolean {
  const targets = [event.url, url].filter((target) => target !== undefined);
  return targets.length > 0 && targets.every(isNavigationAllowed);
}

export function hardenWebContents(contents: HardenableContents): void {
  contents.on('will-navigate', (event, url) => {
    if (!mayNavigate(event, url)) event.preventDefault();
  });
  // Sub frames too: our CSP already forbids frames, this keeps that true if the CSP is ever relaxed.
  contents.on('will-frame-navigate', (event) => {
    if (!isNavigationAllowed(event.url)) event.preventDefault();
  });
  contents.on('will-redirect', (event, url) => {
    if (!mayNavigate(event, url)) event.preventDefault();
  });
  contents.on('will-attach-webview', (event) => {
    event.preventDefault();
  });
  contents.setWindowOpenHandler(windowOpenDecision);
}

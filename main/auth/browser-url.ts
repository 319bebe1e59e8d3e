import { noBrowserInThisProcess } from './auth-errors.js';
import { isSecureEndpoint } from './smart-discovery.js';

/**
 * Opens a sign-in URL in the system browser (RFC 8252 §4.1: never an embedded web view, whose
 * host could read the clinician's password). Electron's shell.openExternal in the app, a headless
 * Chromium in tests, printing the URL in the CLI. `authorizationEndpoint` is the EHR's, from its
 * SMART configuration: the opener must refuse any other URL.
 */
export type BrowserOpener = (url: string, expected: { readonly authorizationEndpoint: string }) => Promise<void>;

/**
 * True only for a request to the EHR's authorization endpoint itself: same origin and path, https
 * (or http on this machine), no user name or password. Everything else (file:, custom schemes,
 * javascript:, another site) is refused, so a bug or a hostile value can never make the opener
 * launch something that is not the EHR's sign-in page.
 */
export function isSignInUrlAllowed(url: unknown, authorizationEndpoint: string): boolean {
  if (typeof url !== 'string' || url.length > 8192 || !isSecureEndpoint(url) || !isSecureEndpoint(authorizationEndpoint)) return false;
  try {
    const target = new URL(url);
    const endpoint = new URL(authorizationEndpoint);
    return target.origin === endpoint.origin && target.pathname === endpoint.pathname && target.hash === '';
  } catch {
    return false;
  }
}

/** For processes without a system browser to drive (the CLI's other commands, tests that do not sign in). */
export const noSystemBrowser: BrowserOpener = () => Promise.reject(noBrowserInThisProcess());

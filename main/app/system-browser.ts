import type { BrowserOpener } from '../auth/browser-url.js';
import { isSignInUrlAllowed } from '../auth/browser-url.js';
import { SignInError } from '../auth/sign-in-error.js';

/** The part of Electron's `shell` this module uses; structural so tests can pass a fake. */
export interface ShellLike {
  openExternal(url: string, options?: { activate?: boolean }): Promise<void>;
}

/**
 * Clinician sign-in in the system browser (RFC 8252), through shell.openExternal, which must never
 * see untrusted input: only a URL on the EHR's authorization endpoint (https, or http on this
 * machine; same origin and path) is passed on. Anything else is refused here, whoever asked.
 */
export function createSystemBrowserOpener(shell: ShellLike): BrowserOpener {
  return async (url, expected) => {
    if (!isSignInUrlAllowed(url, expected.authorizationEndpoint)) {
      throw new SignInError('browser_failed', "Ambient Scribe refused to open an address that is not the EHR's sign-in page.");
    }
    await shell.openExternal(url, { activate: true });
  };
}

import { isAppUrl } from './app-origin.js';

/**
 * Electron grants every permission by default. This app needs two, for our own main frame only:
 * the microphone, and writing plain text to the clipboard (copy-out of a note into an EMR that has
 * no interface). Camera, screen capture, notifications (which could show PHI on a locked screen),
 * clipboard reading, geolocation, openExternal and the rest are refused.
 */

const CLIPBOARD_WRITE = 'clipboard-sanitized-write';

export interface PermissionRequestDetails {
  /** For 'media': what is asked for; 'video' is the camera. */
  readonly mediaTypes?: readonly string[] | undefined;
  readonly isMainFrame?: boolean | undefined;
}

/** For session.setPermissionRequestHandler: getUserMedia({ audio: true }) and clipboard writes, from our main frame only. */
export function isPermissionAllowed(permission: string, requestingUrl: string, details: PermissionRequestDetails): boolean {
  if (permission !== 'media' && permission !== CLIPBOARD_WRITE) return false;
  if (details.isMainFrame !== true) return false;
  if (!isAppUrl(requestingUrl)) return false;
  if (permission === CLIPBOARD_WRITE) return true;
  const types = details.mediaTypes ?? [];
  return types.length > 0 && types.every((type) => type === 'audio');
}

export interface PermissionCheckDetails {
  /** 'audio', 'video' or 'unknown', for 'media' checks. */
  readonly mediaType?: string | undefined;
  readonly isMainFrame?: boolean | undefined;
  /** Set for cross-origin sub frames: we are never embedded, so its presence means refuse. */
  readonly embeddingOrigin?: string | undefined;
}

/**
 * For session.setPermissionCheckHandler (synchronous checks such as device enumeration):
 * 'media' for our origin, and when the check names a media type, only audio; clipboard writes.
 */
export function isPermissionCheckAllowed(permission: string, requestingOrigin: string, details: PermissionCheckDetails = {}): boolean {
  if (permission !== 'media' && permission !== CLIPBOARD_WRITE) return false;
  if (!isAppUrl(requestingOrigin)) return false;
  if (details.isMainFrame === false) return false;
  if (details.embeddingOrigin !== undefined && details.embeddingOrigin !== '' && !isAppUrl(details.embeddingOrigin)) return false;
  if (permission === CLIPBOARD_WRITE) return true;
  return details.mediaType === undefined || details.mediaType === 'audio';
}

import { isAppUrl } from './app-origin.js';

/**
 * Electron grants every permission by default. The only one this app needs is the microphone,
 * for our own page: camera, screen capture, notifications (which could show PHI on a locked
 * screen), clipboard reading, geolocation, openExternal and the rest are refused.
 */

export interface PermissionRequestDetails {
  /** For 'media': what is asked for; 'video' is the camera. */
  readonly mediaTypes?: readonly string[] | undefined;
  readonly isMainFrame?: boolean | undefined;
}

/** For session.setPermissionRequestHandler: getUserMedia({ audio: true }) from our main frame only. */
export function isPermissionAllowed(permission: string, requestingUrl: string, details: PermissionRequestDetails): boolean {
  if (permission !== 'media') return false;
  if (details.isMainFrame !== true) return false;
  if (!isAppUrl(requestingUrl)) return false;
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
 * 'media' for our origin, and when the check names a media type, only audio.
 */
export function isPermissionCheckAllowed(permission: string, requestingOrigin: string, details: PermissionCheckDetails = {}): boolean {
  if (permission !== 'media') return false;
  if (!isAppUrl(requestingOrigin)) return false;
  if (details.isMainFrame === false) return false;
  if (details.embeddingOrigin !== undefined && details.embeddingOrigin !== '' && !isAppUrl(details.embeddingOrigin)) return false;
  return details.mediaType === undefined || details.mediaType === 'audio';
}

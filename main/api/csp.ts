/**
 * Content-Security-Policy and the other response headers for the renderer, used by the app://
 * protocol handler (main.ts) and by the loopback web bridge (main/api/web-bridge.ts).
 * This file must stay free of any runtime 'electron' import: the web bridge runs in plain Node.
 */

export type CspDirectives = Readonly<Record<string, readonly string[]>>;

/**
 * Nothing is allowed unless listed. No 'unsafe-inline' or 'unsafe-eval' anywhere: an injected
 * script or style in a note would otherwise run with access to the whole API.
 * blob: for images, media and workers serves recorded audio playback and the audio worklet.
 */
export const CSP_DIRECTIVES: CspDirectives = Object.freeze({
  'default-src': ["'none'"],
  'script-src': ["'self'"],
  'style-src': ["'self'"],
  'img-src': ["'self'", 'data:', 'blob:'],
  'media-src': ["'self'", 'blob:'],
  'font-src': ["'self'"],
  'connect-src': ["'self'"],
  'worker-src': ["'self'", 'blob:'],
  'object-src': ["'none'"],
  'base-uri': ["'none'"],
  'form-action': ["'none'"],
  'frame-ancestors': ["'none'"],
});

const DIRECTIVE_NAME = /^[a-z][a-z-]*$/;
// A source token must not be able to end its directive (;) or start a second policy (,).
const SOURCE_TOKEN = /^[^\s;,]+$/;

export function buildContentSecurityPolicy(directives: CspDirectives): string {
  return Object.entries(directives)
    .map(([name, sources]) => {
      if (!DIRECTIVE_NAME.test(name)) throw new Error(`Invalid CSP directive name: ${name}`);
      if (sources.length === 0) throw new Error(`CSP directive ${name} has no sources; use 'none'.`);
      for (const source of sources) {
        if (!SOURCE_TOKEN.test(source)) throw new Error(`Invalid CSP source in ${name}.`);
      }
      return `${name} ${sources.join(' ')}`;
    })
    .join('; ');
}

export const CONTENT_SECURITY_POLICY = buildContentSecurityPolicy(CSP_DIRECTIVES);

/** Browser features the renderer may use: the microphone, from our own origin only. */
const PERMISSIONS_POLICY = [
  'microphone=(self)',
  'camera=()',
  'display-capture=()',
  'geolocation=()',
  'clipboard-read=()',
  'usb=()',
  'serial=()',
  'hid=()',
  'midi=()',
  'payment=()',
  'publickey-credentials-get=()',
  'accelerometer=()',
  'gyroscope=()',
  'magnetometer=()',
  'screen-wake-lock=()',
  'idle-detection=()',
].join(', ');

/** A fresh record each call, so a caller adding headers cannot change what others send. */
export function securityHeaders(): Record<string, string> {
  return {
    'Content-Security-Policy': CONTENT_SECURITY_POLICY,
    'X-Content-Type-Options': 'nosniff',
    'Referrer-Policy': 'no-referrer',
    'Cross-Origin-Opener-Policy': 'same-origin',
    'Cross-Origin-Resource-Policy': 'same-origin',
    'Permissions-Policy': PERMISSIONS_POLICY,
  };
}

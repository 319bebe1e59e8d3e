import { extname, isAbsolute, relative, resolve, sep } from 'node:path';

/**
 * The renderer is served from a privileged custom scheme, app://scribe/, rather than file://:
 * a file:// page could read any local file it can name, and every file:// page shares one origin.
 */
export const APP_SCHEME = 'app';
export const APP_HOST = 'scribe';
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;
export const APP_ENTRY_URL = `${APP_ORIGIN}/index.html`;

const INDEX_FILE = 'index.html';

function parseUrl(url: unknown): URL | null {
  if (typeof url !== 'string') return null;
  try {
    return new URL(url);
  } catch {
    return null;
  }
}

function isOurOrigin(parsed: URL): boolean {
  // Node gives custom schemes the origin 'null', so the parts are compared one by one; a prefix
  // test would accept app://scribe.evil/ or app://scribe@evil/.
  return (
    parsed.protocol === `${APP_SCHEME}:` &&
    parsed.hostname === APP_HOST &&
    parsed.port === '' &&
    parsed.username === '' &&
    parsed.password === ''
  );
}

/** True only for URLs of our own origin, app://scribe. */
export function isAppUrl(url: unknown): boolean {
  const parsed = parseUrl(url);
  return parsed !== null && isOurOrigin(parsed);
}

/** The raw path of a URL as the caller wrote it, before URL parsing resolves any dot segments. */
function rawPath(url: string): string | null {
  const prefix = `${APP_ORIGIN}`;
  if (url.slice(0, prefix.length).toLowerCase() !== prefix) return null;
  const rest = url.slice(prefix.length);
  if (rest !== '' && !rest.startsWith('/') && !rest.startsWith('?') && !rest.startsWith('#')) return null;
  const end = rest.search(/[?#]/);
  return end === -1 ? rest : rest.slice(0, end);
}

function decodeSegment(segment: string): string | null {
  try {
    return decodeURIComponent(segment);
  } catch {
    return null;
  }
}

/**
 * Maps an app://scribe/… request to a file under rootDir, or null to refuse it.
 * Refused: other origins; any '.' or '..' segment, raw or percent-encoded (the URL parser would
 * quietly resolve them, which hides an attack rather than reporting it); encoded separators,
 * backslashes, NUL, drive letters and dotfiles. The root and extension-less routes serve
 * index.html, so the single-page app can use client-side routes.
 */
export function resolveAppFile(rootDir: string, requestUrl: string): string | null {
  const parsed = parseUrl(requestUrl);
  if (parsed === null || !isOurOrigin(parsed)) return null;
  const path = rawPath(requestUrl);
  if (path === null) return null;

  const segments: string[] = [];
  for (const raw of path.split('/')) {
    if (raw === '') continue;
    const segment = decodeSegment(raw);
    if (segment === null) return null;
    if (segment.startsWith('.')) return null;
    if (/[/\\:\0]/.test(segment)) return null;
    segments.push(segment);
  }

  const last = segments.at(-1);
  if (last === undefined || extname(last) === '') return resolve(rootDir, INDEX_FILE);

  const root = resolve(rootDir);
  const file = resolve(root, ...segments);
  const inside = relative(root, file);
  if (inside === '' || inside.startsWith(`..${sep}`) || inside === '..' || isAbsolute(inside)) return null;
  return file;
}

const CONTENT_TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
  '.wasm': 'application/wasm',
  '.wav': 'audio/wav',
  '.txt': 'text/plain; charset=utf-8',
};

/** With X-Content-Type-Options: nosniff, an unknown type is served as opaque bytes, never run. */
export function contentTypeFor(file: string): string {
  return CONTENT_TYPES[extname(file).toLowerCase()] ?? 'application/octet-stream';
}

import type { IncomingMessage, ServerResponse } from 'node:http';
import { z } from 'zod';
import type { FaultController } from './faults.js';
import { FaultSettings } from './faults.js';
import { hostIsLoopback, readBody, sendJson } from './http-util.js';
import type { LaunchContext } from './smart-auth.js';

/**
 * /admin: fault injection and counts for tests and demos run from another process.
 *   GET  /admin/faults          settings in force
 *   POST /admin/faults          merge settings (JSON), e.g. {"errorRate":0.2,"dropAfterCommitRate":0.1}
 *   DELETE /admin/faults        back to no faults
 *   POST /admin/expire-tokens   every issued access token stops working
 *   GET  /admin/stats           resources held, by type, and faults injected so far
 *   GET  /admin/launch?patient=ID[&encounter=ID][&app=URL]
 *                               an EHR launch: {iss, launch} as JSON or, with `app` (a loopback
 *                               http URL: the app's registered launch URL), a redirect to
 *                               app?iss=…&launch=…, as an EHR does when a clinician opens the app
 * Writes require a JSON content type, which a web page cannot send cross-origin without a CORS
 * preflight this server never answers; the Host header must name the loopback interface.
 */
export interface AdminDeps {
  readonly faults: FaultController;
  readonly expireTokens: () => number;
  readonly counts: () => Record<string, number>;
  readonly createLaunch: (context: LaunchContext) => string | undefined;
  readonly fhirBaseUrl: string;
}

/** Only an app on this machine: the sandbox must not become an open redirector. */
function loopbackAppUrl(value: string | null): URL | undefined {
  if (value === null) return undefined;
  try {
    const url = new URL(value);
    const host = url.hostname.replace(/^\[|\]$/g, '');
    return url.protocol === 'http:' && ['127.0.0.1', '::1', 'localhost'].includes(host) && !url.username && !url.password ? url : undefined;
  } catch {
    return undefined;
  }
}

function launch(req: IncomingMessage, res: ServerResponse, deps: AdminDeps): void {
  const query = new URL(req.url ?? '/', 'http://sandbox.invalid').searchParams;
  const app = query.get('app');
  const target = loopbackAppUrl(app);
  if (app !== null && !target) return sendJson(res, 400, { error: 'app must be a loopback http URL (the app launch URL)' });
  const id = deps.createLaunch({ patient: query.get('patient') ?? '', encounter: query.get('encounter') ?? undefined });
  if (!id) return sendJson(res, 400, { error: 'unknown patient or encounter' });
  if (!target) return sendJson(res, 200, { iss: deps.fhirBaseUrl, launch: id });
  target.searchParams.set('iss', deps.fhirBaseUrl);
  target.searchParams.set('launch', id);
  res.writeHead(302, { location: target.href, 'cache-control': 'no-store' });
  res.end();
}

const FaultPatch = FaultSettings.partial().strict();

export async function handleAdmin(req: IncomingMessage, res: ServerResponse, path: string, deps: AdminDeps): Promise<void> {
  if (!hostIsLoopback(req)) return sendJson(res, 403, { error: 'forbidden host' });
  const method = req.method ?? 'GET';
  const isJson = (req.headers['content-type'] ?? '').split(';')[0]!.trim() === 'application/json';
  if (method !== 'GET' && method !== 'DELETE' && !isJson) return sendJson(res, 415, { error: 'send application/json' });
  if (path === '/admin/faults' && method === 'GET') return sendJson(res, 200, deps.faults.settings());
  if (path === '/admin/faults' && method === 'DELETE') return sendJson(res, 200, deps.faults.reset());
  if (path === '/admin/faults' && (method === 'POST' || method === 'PUT')) {
    let patch: z.infer<typeof FaultPatch>;
    try {
      patch = FaultPatch.parse(JSON.parse((await readBody(req, 64 * 1024)).toString('utf8')));
    } catch (error) {
      const fields = error instanceof z.ZodError ? error.issues.map((i) => i.path.join('.')) : [];
      return sendJson(res, 400, { error: 'invalid fault settings', fields });
    }
    return sendJson(res, 200, deps.faults.update(patch));
  }
  if (path === '/admin/expire-tokens' && method === 'POST') return sendJson(res, 200, { expired: deps.expireTokens() });
  if (path === '/admin/launch' && method === 'GET') return launch(req, res, deps);
  if (path === '/admin/stats' && method === 'GET') return sendJson(res, 200, { resources: deps.counts(), faults: deps.faults.counters() });
  return sendJson(res, 404, { error: 'not found' });
}

import type { Logger } from '../log/logger.js';
import { launchCouldNotStart, launchTurnedOff } from './auth-errors.js';
import { problemPage } from './browser-pages.js';
import { startLoopbackListener } from './loopback-listener.js';
import type { ListenerAnswer, LoopbackListener } from './loopback-listener.js';
import { checkLaunch } from './oauth-responses.js';
import type { SignInAttempt } from './sign-in-attempt.js';
import type { SignInConfig } from './sign-in-config.js';
import { isUsable } from './sign-in-config.js';
import { asSignInError } from './sign-in-error.js';

/**
 * EHR launch (SMART App Launch): the EHR opens `http://127.0.0.1:<fhirLaunchPort>/launch?iss=…&launch=…`
 * in the system browser. When `iss` is the configured FHIR server, the listener starts a sign-in
 * with that launch and redirects the browser to the EHR's authorization endpoint; the response
 * comes back to `/callback` on the same port. The port is fixed (registered with the EHR), so
 * there is one listener, moved when the setting changes.
 */
export interface EhrLaunchListener {
  /** Starts, moves or stops listening as the launch port setting says; the launch URL, or null. */
  start(): Promise<string | null>;
  url(): string | null;
  /** The running listener, for an EHR-launch sign-in to receive its response on. */
  listener(): LoopbackListener | undefined;
  /** Follows a change of the launch port, once `start` was asked for. */
  settingsChanged(keys: readonly string[]): void;
  close(): Promise<void>;
}

export interface EhrLaunchListenerOptions {
  readonly config: () => SignInConfig;
  readonly logger: Logger;
  /** A launch from the configured EHR: starts its sign-in; resolves to the authorization URL. */
  readonly launch: (launchId: string) => Promise<string>;
  /** The sign-in waiting for its response on `listener`, if one is. */
  readonly signInOn: (listener: LoopbackListener) => Pick<SignInAttempt<unknown>, 'callback' | 'abandon'> | undefined;
}

export function createEhrLaunchListener(o: EhrLaunchListenerOptions): EhrLaunchListener {
  let running: { listener: LoopbackListener; port: number } | undefined;
  let wanted = false;
  let closed = false;

  const launchRoute = async (query: URLSearchParams): Promise<ListenerAnswer> => {
    const config = o.config();
    if (!isUsable(config))
      return problemPage(503, 'Ambient Scribe is not set up for sign-in yet (FHIR server address and sign-in client id).');
    const request = checkLaunch(query, config.fhirBaseUrl);
    if (request.kind === 'refused') {
      o.logger.warn('auth.launch_refused', { reason: request.reason });
      return problemPage(request.status, request.message);
    }
    try {
      return { redirect: await o.launch(request.launch) };
    } catch (error) {
      return problemPage(400, asSignInError(error, launchCouldNotStart).message);
    }
  };

  const callbackRoute = (query: URLSearchParams): Promise<ListenerAnswer> =>
    (running && o.signInOn(running.listener)?.callback(query)) ??
    Promise.resolve(problemPage(409, 'No sign-in is waiting. Launch Ambient Scribe from the EHR again.'));

  const stop = async () => {
    const stopping = running;
    running = undefined;
    if (!stopping) return;
    o.signInOn(stopping.listener)?.abandon(launchTurnedOff());
    await stopping.listener.close();
  };

  const start = async (): Promise<string | null> => {
    wanted = true;
    const port = o.config().launchPort;
    if (running && running.port === port) return `${running.listener.origin}/launch`;
    await stop();
    if (port === null || closed) return null;
    try {
      const started = await startLoopbackListener({ port, routes: { '/launch': launchRoute, '/callback': callbackRoute } });
      if (closed) {
        await started.close();
        return null;
      }
      running = { listener: started, port };
      o.logger.info('auth.launch_listening', { port: started.port });
      return `${started.origin}/launch`;
    } catch (error) {
      o.logger.warn('auth.launch_listener_failed', {
        port,
        code: (error as { code?: unknown }).code === 'EADDRINUSE' ? 'port_in_use' : 'failed',
      });
      return null;
    }
  };

  return {
    start,
    url: () => (running ? `${running.listener.origin}/launch` : null),
    listener: () => running?.listener,
    settingsChanged(keys) {
      if (wanted && keys.includes('fhirLaunchPort')) void start();
    },
    async close() {
      closed = true;
      await stop();
    },
  };
}

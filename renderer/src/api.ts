import type { Transport, ScribeApi } from '../../shared/api/client.js';
import { createApiClient } from '../../shared/api/client.js';
import type { EventName, EventOf } from '../../shared/api/contract.js';
import { isEventName } from '../../shared/api/contract.js';
import type { ApiResult } from '../../shared/api/errors.js';
import { ApiError } from '../../shared/api/errors.js';
import type { PreloadBridge } from '../../shared/api/preload-bridge.js';
import { PRELOAD_GLOBAL } from '../../shared/api/preload-bridge.js';

export type Connection =
  | { readonly kind: 'ipc' | 'web'; readonly api: ScribeApi }
  /** A plain browser without a token: the user must open the link `scribe web` printed. */
  | { readonly kind: 'no-token' };

const TOKEN_KEY = 'scribe.bridgeToken';
/** Calls that must complete even when the page unloads right after making them. */
const SURVIVES_UNLOAD: ReadonlySet<string> = new Set(['note:save', 'note:addendum']);
/** Browsers cap keepalive bodies at 64 KiB in flight; a bigger note is sent normally. */
const KEEPALIVE_MAX_BYTES = 60_000;
const UNREACHABLE: ApiError = {
  code: 'unavailable',
  reason: 'web_bridge.unreachable',
  message: 'Ambient Scribe is not answering. Check that `scribe web` is still running, then try again.',
};
const TOKEN_REJECTED: ApiError = {
  code: 'forbidden',
  reason: 'web_bridge.token_rejected',
  message: 'The access token was not accepted. Open the link printed by `scribe web` again.',
};

/**
 * Picks the transport once at start-up: the preload bridge inside Electron, otherwise the loopback
 * web bridge with the token from the link `scribe web` printed.
 * `onTokenRejected` runs when the bridge refuses the token (it restarted, or the link was wrong).
 */
export function connect(onTokenRejected: () => void): Connection {
  const bridge = preloadBridge();
  if (bridge) return { kind: 'ipc', api: createApiClient(ipcTransport(bridge)) };
  const token = takeBridgeToken();
  if (!token) return { kind: 'no-token' };
  return { kind: 'web', api: createApiClient(webTransport(token, onTokenRejected)) };
}

function preloadBridge(): PreloadBridge | undefined {
  const candidate: unknown = Reflect.get(window, PRELOAD_GLOBAL);
  if (typeof candidate !== 'object' || candidate === null) return undefined;
  if (typeof (candidate as { on?: unknown }).on !== 'function') return undefined;
  return candidate as PreloadBridge;
}

function ipcTransport(bridge: PreloadBridge): Transport {
  return {
    async invoke(channel, request) {
      const call = bridge[channel];
      if (typeof call !== 'function') {
        return { ok: false, error: { code: 'unknown_channel', message: 'This version of the app does not offer that action.' } };
      }
      try {
        return await call(request);
      } catch {
        return { ok: false, error: UNREACHABLE };
      }
    },
    subscribe(event, listener) {
      return bridge.on(event, (payload) => listener(payload as EventOf<typeof event>));
    },
  };
}

/**
 * The token arrives once in the address (`#token=…`). Keep it for this tab only, so a reload still
 * works, and take it out of the address bar and history at once.
 */
function takeBridgeToken(): string | undefined {
  const match = /^#token=([^&]+)/.exec(window.location.hash);
  if (match?.[1]) {
    const token = safeDecode(match[1]);
    try {
      sessionStorage.setItem(TOKEN_KEY, token);
    } catch {
      // Storage can be disabled; the token then lasts until the page is reloaded.
    }
    history.replaceState(null, '', `${window.location.pathname}${window.location.search}#/visits`);
    return token;
  }
  try {
    return sessionStorage.getItem(TOKEN_KEY) ?? undefined;
  } catch {
    return undefined;
  }
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

function forgetBridgeToken(): void {
  try {
    sessionStorage.removeItem(TOKEN_KEY);
  } catch {
    // Nothing stored, nothing to forget.
  }
}

function webTransport(token: string, onTokenRejected: () => void): Transport {
  const headers = { Authorization: `Bearer ${token}` };
  const rejectToken = () => {
    forgetBridgeToken();
    onTokenRejected();
  };
  const events = new BridgeEventStream(headers, rejectToken);

  return {
    async invoke(channel, request) {
      let response: Response;
      try {
        const body = JSON.stringify(request ?? {});
        // Channel names come from the contract (`area:verb`), so they go into the path as they are.
        response = await fetch(`/api/call/${channel}`, {
          method: 'POST',
          headers: { ...headers, 'Content-Type': 'application/json' },
          body,
          cache: 'no-store',
          credentials: 'omit',
          // An edit saved as the page goes away (reload, close) must still reach the store.
          keepalive: SURVIVES_UNLOAD.has(channel) && body.length < KEEPALIVE_MAX_BYTES,
        });
      } catch {
        return { ok: false, error: UNREACHABLE };
      }
      if (response.status === 401) {
        rejectToken();
        return { ok: false, error: TOKEN_REJECTED };
      }
      const body: unknown = await response.json().catch(() => undefined);
      return asApiResult(body) ?? { ok: false, error: UNREACHABLE };
    },
    subscribe(event, listener) {
      return events.add(event, listener as (payload: unknown) => void);
    },
  };
}

/** Accepts only the ApiResult shape; anything else (a proxy's HTML page, say) counts as no answer. */
function asApiResult(body: unknown): ApiResult<unknown> | undefined {
  if (typeof body !== 'object' || body === null) return undefined;
  const candidate = body as { ok?: unknown; value?: unknown; error?: unknown };
  if (candidate.ok === true) return { ok: true, value: candidate.value };
  if (candidate.ok !== false || typeof candidate.error !== 'object' || candidate.error === null) return undefined;
  const error = ApiError.safeParse(candidate.error);
  return error.success ? { ok: false, error: error.data } : undefined;
}

const RETRY_FIRST_MS = 1_000;
const RETRY_MAX_MS = 30_000;

/**
 * One `GET /api/events` stream shared by every subscriber, read with fetch so the token travels in
 * a header rather than a URL (EventSource cannot send headers). It opens with the first subscriber,
 * closes with the last, and reconnects with jittered exponential backoff when it drops.
 */
class BridgeEventStream {
  private readonly listeners = new Map<EventName, Set<(payload: unknown) => void>>();
  private abort: AbortController | undefined;
  private retryTimer: ReturnType<typeof setTimeout> | undefined;
  private retryDelayMs = RETRY_FIRST_MS;

  constructor(
    private readonly headers: Readonly<Record<string, string>>,
    private readonly onTokenRejected: () => void,
  ) {}

  add(event: EventName, listener: (payload: unknown) => void): () => void {
    let set = this.listeners.get(event);
    if (!set) this.listeners.set(event, (set = new Set()));
    set.add(listener);
    this.start();
    return () => {
      set.delete(listener);
      if (set.size === 0) this.listeners.delete(event);
      if (this.listeners.size === 0) this.stop();
    };
  }

  private start(): void {
    if (this.abort || this.retryTimer !== undefined) return;
    const abort = new AbortController();
    this.abort = abort;
    void this.read(abort.signal).then((outcome) => {
      if (this.abort !== abort) return; // stopped, or replaced by a newer connection
      this.abort = undefined;
      if (outcome === 'token-rejected') {
        this.onTokenRejected();
        return;
      }
      if (this.listeners.size > 0) this.scheduleRetry();
    });
  }

  private stop(): void {
    this.abort?.abort();
    this.abort = undefined;
    clearTimeout(this.retryTimer);
    this.retryTimer = undefined;
    this.retryDelayMs = RETRY_FIRST_MS;
  }

  private scheduleRetry(): void {
    const delay = this.retryDelayMs / 2 + Math.random() * (this.retryDelayMs / 2);
    this.retryDelayMs = Math.min(this.retryDelayMs * 2, RETRY_MAX_MS);
    this.retryTimer = setTimeout(() => {
      this.retryTimer = undefined;
      this.start();
    }, delay);
  }

  private async read(signal: AbortSignal): Promise<'dropped' | 'token-rejected'> {
    try {
      const response = await fetch('/api/events', {
        headers: { ...this.headers, Accept: 'text/event-stream' },
        cache: 'no-store',
        credentials: 'omit',
        signal,
      });
      if (response.status === 401) return 'token-rejected';
      if (!response.ok || !response.body) return 'dropped';
      this.retryDelayMs = RETRY_FIRST_MS;
      const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
      let buffer = '';
      for (;;) {
        const { done, value } = await reader.read();
        if (done) return 'dropped';
        buffer += value.replace(/\r\n?/g, '\n');
        let end: number;
        while ((end = buffer.indexOf('\n\n')) !== -1) {
          this.dispatch(buffer.slice(0, end));
          buffer = buffer.slice(end + 2);
        }
      }
    } catch {
      return 'dropped';
    }
  }

  /** One server-sent event block: `event:` and `data:` lines; comments (`:`) keep the line alive. */
  private dispatch(block: string): void {
    let name = 'message';
    const data: string[] = [];
    for (const line of block.split('\n')) {
      if (line.startsWith(':')) continue;
      const colon = line.indexOf(':');
      const field = colon === -1 ? line : line.slice(0, colon);
      const value = colon === -1 ? '' : line.slice(colon + 1).replace(/^ /, '');
      if (field === 'event') name = value;
      else if (field === 'data') data.push(value);
    }
    if (!isEventName(name) || data.length === 0) return;
    let payload: unknown;
    try {
      payload = JSON.parse(data.join('\n'));
    } catch {
      return;
    }
    for (const listener of this.listeners.get(name) ?? []) listener(payload);
  }
}

/**
 * A browser reduced to what a SMART sign-in needs (cookies by name, redirects followed by hand,
 * the sandbox login form), for tests that must run without Chromium. The e2e specs use Chromium.
 */
export interface FetchPage {
  readonly url: string;
  readonly status: number;
  readonly html: string;
}

export function fetchBrowser() {
  const jar = new Map<string, string>();
  const remember = (response: Response) => {
    for (const cookie of response.headers.getSetCookie()) {
      const [pair = ''] = cookie.split(';');
      const at = pair.indexOf('=');
      const name = pair.slice(0, at);
      const value = pair.slice(at + 1);
      if (!value || /max-age=0|expires=Thu, 01 Jan 1970/i.test(cookie)) jar.delete(name);
      else jar.set(name, value);
    }
  };
  const request = async (url: string, init: RequestInit = {}): Promise<FetchPage> => {
    let current = url;
    let response = await fetch(current, {
      ...init,
      redirect: 'manual',
      headers: { ...(init.headers as Record<string, string>), cookie: [...jar].map(([n, v]) => `${n}=${v}`).join('; ') },
    });
    for (let hops = 0; hops < 15; hops += 1) {
      remember(response);
      const location = response.headers.get('location');
      if (!location || response.status < 300 || response.status >= 400) break;
      current = new URL(location, current).href;
      response = await fetch(current, { redirect: 'manual', headers: { cookie: [...jar].map(([n, v]) => `${n}=${v}`).join('; ') } });
    }
    const page = { url: current, status: response.status, html: await response.text() };
    return autoSubmitted(page) ?? page;
  };
  /**
   * oidc-provider's self-submitting form (a browser runs its script): signing in as someone else
   * while the EHR's session holds another user ends that session first, then carries on.
   */
  const autoSubmitted = (page: FetchPage): Promise<FetchPage> | undefined => {
    if (!page.html.includes('<title>Submitting Callback</title>')) return undefined;
    const action = /<form method="post" action="([^"]+)"/.exec(page.html)?.[1];
    if (!action) return undefined;
    const fields = new URLSearchParams();
    for (const [, name = '', value = ''] of page.html.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)"\/?>/g))
      fields.set(name, value);
    return request(new URL(action, page.url).href, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: fields.toString(),
    });
  };
  return {
    open: (url: string) => request(url),
    /** Submits the sandbox login form on `page` as `practitioner`, signing in or cancelling; follows the redirects to wherever they end. */
    submitLogin(page: FetchPage, practitioner: string, decision: 'allow' | 'deny' = 'allow', patient?: string): Promise<FetchPage> {
      const action = /<form method="post" action="([^"]+)"/.exec(page.html)?.[1];
      if (!action) throw new Error('no login form on the page');
      const body = new URLSearchParams({ practitioner, decision, ...(patient ? { patient } : {}) });
      return request(new URL(action.replace(/&#47;/g, '/'), page.url).href, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: body.toString(),
      });
    },
  };
}

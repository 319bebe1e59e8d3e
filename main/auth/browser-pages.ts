/**
 * The pages the system browser shows at the end of a sign-in on our loopback listener. They never
 * echo anything from the request (a query string could carry script); the text is ours.
 */
export interface BrowserPage {
  readonly status: number;
  readonly html: string;
}

/** The page itself runs nothing, loads nothing, and cannot be framed. */
export const PAGE_HEADERS: Readonly<Record<string, string>> = {
  'content-type': 'text/html; charset=utf-8',
  'cache-control': 'no-store',
  'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'; form-action 'none'; base-uri 'none'",
  'referrer-policy': 'no-referrer',
  'x-content-type-options': 'nosniff',
};

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

function page(status: number, title: string, text: string): BrowserPage {
  return {
    status,
    html: `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)} – Ambient Scribe</title>
<style>body{font-family:system-ui,sans-serif;max-width:32rem;margin:4rem auto;line-height:1.5}</style></head>
<body><h1>${escapeHtml(title)}</h1><p>${escapeHtml(text)}</p></body></html>`,
  };
}

export const signedInPage = (): BrowserPage =>
  page(200, 'Signed in', 'You are signed in to Ambient Scribe. You can close this tab and go back to the app.');

export const problemPage = (status: number, message: string): BrowserPage =>
  page(status, 'Sign-in did not complete', `${message} You can close this tab.`);

export const notFoundPage = (): BrowserPage => page(404, 'Not found', 'Ambient Scribe has nothing at this address.');

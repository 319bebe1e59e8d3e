/**
 * RFC 7009 token revocation for a public client (our client id in the body, no secret), so a
 * refresh token stops working at the EHR, not only in this process, when the clinician signs out.
 * Best effort by nature: an EHR that does not offer or answer revocation leaves the token to expire.
 */
export interface RevocationRequest {
  readonly endpoint: string;
  readonly token: string;
  readonly hint: 'refresh_token' | 'access_token';
  readonly clientId: string;
  readonly fetch: typeof fetch;
  readonly timeoutMs: number;
}

/** The HTTP status the EHR answered with; throws when it could not be reached. */
export async function revokeToken(r: RevocationRequest): Promise<number> {
  const response = await r.fetch(r.endpoint, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
    body: new URLSearchParams({ token: r.token, token_type_hint: r.hint, client_id: r.clientId }),
    signal: AbortSignal.timeout(r.timeoutMs),
  });
  await response.body?.cancel();
  return response.status;
}

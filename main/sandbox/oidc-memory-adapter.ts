/**
 * oidc-provider's storage for the sandbox: in memory, like the rest of the sandbox, but ours, so
 * the sandbox can expire every issued token on request (fault injection) and nothing is evicted by
 * an LRU limit during long fault runs. The interface is oidc-provider's Adapter.
 */
interface Entry {
  payload: Record<string, unknown>;
  expiresAt: number | undefined;
}

export interface OidcMemoryStore {
  /** Factory for oidc-provider's `adapter` option. */
  adapterFor(model: string): OidcAdapter;
  /** Forgets every access token and client-credentials token: the next use of one gets 401. */
  expireAccessTokens(): number;
}

export interface OidcAdapter {
  upsert(id: string, payload: Record<string, unknown>, expiresIn?: number): Promise<void>;
  find(id: string): Promise<Record<string, unknown> | undefined>;
  findByUserCode(userCode: string): Promise<Record<string, unknown> | undefined>;
  findByUid(uid: string): Promise<Record<string, unknown> | undefined>;
  consume(id: string): Promise<void>;
  destroy(id: string): Promise<void>;
  revokeByGrantId(grantId: string): Promise<void>;
}

const TOKEN_MODELS = new Set(['AccessToken', 'ClientCredentials']);

export function createOidcMemoryStore(now: () => number = Date.now): OidcMemoryStore {
  const models = new Map<string, Map<string, Entry>>();
  const table = (model: string) => {
    let t = models.get(model);
    if (!t) {
      t = new Map();
      models.set(model, t);
    }
    return t;
  };
  const live = (entry: Entry | undefined) => (entry && (entry.expiresAt === undefined || entry.expiresAt > now()) ? entry : undefined);
  const sweep = (t: Map<string, Entry>) => {
    for (const [id, entry] of t) if (!live(entry)) t.delete(id);
  };

  const adapterFor = (model: string): OidcAdapter => {
    const t = table(model);
    const findWhere = (match: (payload: Record<string, unknown>) => boolean) => {
      for (const entry of t.values()) if (live(entry) && match(entry.payload)) return Promise.resolve(entry.payload);
      return Promise.resolve(undefined);
    };
    return {
      upsert(id, payload, expiresIn) {
        if (t.size > 10_000) sweep(t);
        t.set(id, { payload, expiresAt: typeof expiresIn === 'number' ? now() + expiresIn * 1000 : undefined });
        return Promise.resolve();
      },
      find: (id) => Promise.resolve(live(t.get(id))?.payload),
      findByUserCode: (userCode) => findWhere((p) => p['userCode'] === userCode),
      findByUid: (uid) => findWhere((p) => p['uid'] === uid),
      consume(id) {
        const entry = live(t.get(id));
        if (entry) entry.payload['consumed'] = Math.floor(now() / 1000);
        return Promise.resolve();
      },
      destroy(id) {
        t.delete(id);
        return Promise.resolve();
      },
      revokeByGrantId(grantId) {
        for (const tableOfModel of models.values()) {
          for (const [id, entry] of tableOfModel) if (entry.payload['grantId'] === grantId) tableOfModel.delete(id);
        }
        return Promise.resolve();
      },
    };
  };

  return {
    adapterFor,
    expireAccessTokens() {
      let count = 0;
      for (const model of TOKEN_MODELS) {
        const t = table(model);
        count += t.size;
        t.clear();
      }
      return count;
    },
  };
}

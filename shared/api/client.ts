import type { Channel, EventName, EventOf, RequestIn, ResponseOf } from './contract.js';
import { channelNames } from './contract.js';
import type { ApiResult } from './errors.js';
import { ApiCallError } from './errors.js';

/** How a client reaches the handler table: IPC through the preload, or the web bridge. */
export interface Transport {
  invoke(channel: Channel, request: unknown): Promise<ApiResult<unknown>>;
  subscribe<E extends EventName>(event: E, listener: (payload: EventOf<E>) => void): () => void;
}

type Area = Channel extends `${infer A}:${string}` ? A : never;
type MethodsOf<A extends Area> = {
  [C in Channel as C extends `${A}:${infer M}` ? M : never]: (request?: RequestIn<C>) => Promise<ResponseOf<C>>;
};

/** The typed API as `api.visit.create(...)`: one function per channel, rejecting with ApiCallError. */
export type ScribeApi = { [A in Area]: MethodsOf<A> } & {
  on<E extends EventName>(event: E, listener: (payload: EventOf<E>) => void): () => void;
};

export function createApiClient(transport: Transport): ScribeApi {
  const api: Record<string, Record<string, (request?: unknown) => Promise<unknown>>> = {};
  for (const channel of channelNames) {
    const [area, method] = channel.split(':') as [string, string];
    api[area] ??= {};
    api[area][method] = async (request: unknown = {}) => {
      const result = await transport.invoke(channel, request);
      if (!result.ok) throw new ApiCallError(result.error);
      return result.value;
    };
  }
  return Object.assign(api, {
    on: <E extends EventName>(event: E, listener: (payload: EventOf<E>) => void) => transport.subscribe(event, listener),
  }) as unknown as ScribeApi;
}

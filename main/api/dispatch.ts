import type { z } from 'zod';
import type { Channel, RequestOf, ResponseOf } from '../../shared/api/contract.js';
import { channels, isChannel } from '../../shared/api/contract.js';
import type { ApiError, ApiResult } from '../../shared/api/errors.js';
import { ScribeError } from '../kernel/errors.js';
import type { Logger } from '../log/logger.js';
import { storeDamageOf } from '../store/errors.js';
import type { CallContext } from '../kernel/actor.js';

export type Handler<C extends Channel> = (request: RequestOf<C>, ctx: CallContext) => ResponseOf<C> | Promise<ResponseOf<C>>;
export type HandlerTable = { readonly [C in Channel]: Handler<C> };

export type Dispatch = (channel: string, request: unknown, ctx: CallContext) => Promise<ApiResult<unknown>>;

/** Field paths only: zod's messages can echo the rejected value, which may be PHI. */
function fieldsOf(error: z.ZodError): string[] {
  return [...new Set(error.issues.map((issue) => issue.path.map(String).join('.') || '(request)'))];
}

function toApiError(error: unknown): ApiError {
  const damaged = storeDamageOf(error);
  if (damaged) return toApiError(damaged);
  if (error instanceof ScribeError)
    return { code: error.code, reason: error.reason, message: error.message, ...(error.details ? { details: error.details } : {}) };
  return { code: 'internal', message: 'Something went wrong inside Ambient Scribe. Nothing you entered was lost; try again.' };
}

/**
 * The single entry for every transport: validates the channel and request, runs the handler,
 * checks the response against the contract, and turns any failure into a typed error result.
 */
export function createDispatcher(handlers: HandlerTable, logger: Logger): Dispatch {
  return async (channel, request, ctx) => {
    if (!isChannel(channel)) return { ok: false, error: { code: 'unknown_channel', message: 'Unknown API call.' } };
    const contract = channels[channel];
    const parsed = contract.request.safeParse(request ?? {});
    if (!parsed.success) {
      const fields = fieldsOf(parsed.error);
      logger.warn('api.bad_request', { channel, transport: ctx.transport, fields: fields.join(',') });
      return { ok: false, error: { code: 'bad_request', message: `Invalid request: check ${fields.join(', ')}.`, fields } };
    }
    const started = performance.now();
    try {
      const handler = handlers[channel] as (request: unknown, ctx: CallContext) => unknown;
      const value = contract.response.parse(await handler(parsed.data, ctx));
      logger.info('api.call', { channel, transport: ctx.transport, ms: Math.round(performance.now() - started) });
      return { ok: true, value };
    } catch (error) {
      const apiError = toApiError(error);
      logger.error('api.error', {
        channel,
        transport: ctx.transport,
        code: apiError.code,
        type: error instanceof Error ? error.name : typeof error,
      });
      return { ok: false, error: apiError };
    }
  };
}

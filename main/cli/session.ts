import type { Command } from 'commander';
import type { Channel, RequestIn, ResponseOf } from '../../shared/api/contract.js';
import type { CallContext } from '../api/dispatch.js';
import type { Scribe } from '../compose.js';
import { openScribe } from '../compose.js';
import { ScribeError } from '../errors.js';
import type { Logger } from '../log/logger.js';
import type { OpenMode } from '../store/store.js';
import type { GlobalOptions } from './context.js';
import { resolveActor, resolveDataDir, resolveKeyProvider } from './context.js';
import type { Io } from './output.js';

/** Calls a channel through the same dispatcher as IPC and the web bridge; errors throw. */
export type Call = <C extends Channel>(channel: C, request: RequestIn<C>) => Promise<ResponseOf<C>>;

/** What every command module gets: output, environment, and a way to open the store for one command. */
export interface CliContext {
  readonly io: Io;
  readonly env: NodeJS.ProcessEnv;
  readonly logger: Logger;
  readonly untilStopped: () => Promise<void>;
  globals(): GlobalOptions;
  withScribe<T>(mode: OpenMode, fn: (scribe: Scribe, call: Call) => Promise<T> | T): Promise<T>;
}

export function createCliContext(program: Command, deps: { io: Io; env: NodeJS.ProcessEnv; logger: Logger; untilStopped: () => Promise<void> }): CliContext {
  const globals = () => program.opts<GlobalOptions>();
  return {
    ...deps,
    globals,
    async withScribe(mode, fn) {
      const actor = resolveActor(deps.env);
      const scribe = openScribe({
        dataDir: resolveDataDir(globals(), deps.env),
        keyProvider: resolveKeyProvider(globals(), deps.env),
        mode,
        logger: deps.logger,
        actorId: actor.id,
      });
      const ctx: CallContext = { transport: 'cli', actor };
      const call: Call = async (channel, request) => {
        const result = await scribe.dispatch(channel, request, ctx);
        if (!result.ok) throw new ScribeError(result.error.code, result.error.message);
        return result.value as never;
      };
      try {
        return await fn(scribe, call);
      } finally {
        scribe.close();
      }
    },
  };
}

import type { Command } from 'commander';
import type { Channel, RequestIn, ResponseOf } from '../../shared/api/contract.js';
import type { Actor, CallContext } from '../kernel/actor.js';
import type { Scribe, ScribeOptions } from '../compose.js';
import { openScribe } from '../compose.js';
import type { Logger } from '../log/logger.js';
import { loadMachinePolicy } from '../policy/machine-policy.js';
import type { LoadedPolicy } from '../policy/policy-file.js';
import { packageRoot } from '../kernel/app-identity.js';
import type { OpenMode } from '../store/store.js';
import type { GlobalOptions } from './context.js';
import { resolveActor, resolveDataDir, resolveKeyProvider } from './context.js';
import type { Io } from './output.js';
import { llmConfigFromEnv } from '../drafting/llm/llm-config.js';
import { transcriptionOptionsFromEnv } from '../asr/transcription-env.js';
import { apiCallFailed } from './cli-errors.js';

/** Calls a channel through the same dispatcher as IPC and the web bridge; errors throw. */
export type Call = <C extends Channel>(channel: C, request: RequestIn<C>) => Promise<ResponseOf<C>>;

/** What every command module gets: output, environment, and a way to open the store for one command. */
export interface CliContext {
  readonly io: Io;
  readonly env: NodeJS.ProcessEnv;
  readonly logger: Logger;
  readonly untilStopped: () => Promise<void>;
  globals(): GlobalOptions;
  /** The machine policy (throws PolicyInvalidError when one exists but cannot be used). */
  policy(): LoadedPolicy;
  /** Opens the store for one command; `actor` overrides who is acting (e.g. `visit sign --as`). */
  withScribe<T>(
    mode: OpenMode,
    fn: (scribe: Scribe, call: Call) => Promise<T> | T,
    actor?: Actor,
    extra?: Pick<ScribeOptions, 'demoEhr'>,
  ): Promise<T>;
}

export function createCliContext(
  program: Command,
  deps: { io: Io; env: NodeJS.ProcessEnv; logger: Logger; untilStopped: () => Promise<void> },
): CliContext {
  const globals = () => program.opts<GlobalOptions>();
  // Read per command, before the store opens: an unusable policy stops the command first.
  const policy = () => loadMachinePolicy({ env: deps.env, platform: process.platform, packaged: packageRoot.includes('.asar') });
  return {
    ...deps,
    globals,
    policy,
    async withScribe(mode, fn, actorOverride, extra) {
      const actor = actorOverride ?? resolveActor(deps.env);
      const machinePolicy = policy();
      const scribe = openScribe({
        dataDir: resolveDataDir(globals(), deps.env),
        keyProvider: resolveKeyProvider(globals(), deps.env),
        mode,
        logger: deps.logger,
        actorId: actor.id,
        policy: machinePolicy,
        drafting: { llmConfig: () => llmConfigFromEnv(deps.env) },
        transcription: transcriptionOptionsFromEnv(deps.env, (globals() as { modelsDir?: string }).modelsDir),
        ...extra,
      });
      const ctx: CallContext = { transport: 'cli', actor };
      const call: Call = async (channel, request) => {
        const result = await scribe.dispatch(channel, request, ctx);
        if (!result.ok) throw apiCallFailed(result.error);
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

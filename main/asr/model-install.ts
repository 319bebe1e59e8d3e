import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type {
  SpeechModelInstallRequest,
  SpeechModelProgress,
  SpeechModelSource,
  SpeechModelStatus,
} from '../../shared/domain/speech-model.js';
import type { EventBus } from '../kernel/event-bus.js';
import { ScribeError } from '../kernel/errors.js';
import type { Logger } from '../log/logger.js';
import type { WriteChunk } from './model-download.js';
import { copyFile, downloadFile, writeChunk } from './model-download.js';
import { cannotWrite, diskFull, downloadInterrupted, downloadsForbidden, installCancelled, sourceLocked } from './model-install-errors.js';
import type { PinnedFile, PinnedModel } from './model-manifest.js';
import { pinnedModelBytes, pinnedModelName } from './model-manifest.js';
import type { SourceSettings } from './model-source.js';
import { configuredSource, fileUrl, sourceFrom } from './model-source.js';
import { modelDisplayName, resolveWhisperModel } from './models-dir.js';

/**
 * Installs the pinned speech model into the models folder the local engine searches, from IT's
 * shared folder, IT's mirror or the public hub. Files gather in a hidden staging folder beside the
 * model's (`.whisper-base.en.download`), each as `<file>.partial` until its SHA-256 matches; the
 * staging folder is renamed into place only when every file matched, so the engine sees the whole
 * model or none of it. The engine resolves the model at its next run: no restart.
 */
export interface ModelInstaller {
  status(): SpeechModelStatus;
  /** Starts installing (or joins the install under way) and returns at once; progress arrives as models:progress. */
  start(request: SpeechModelInstallRequest): SpeechModelStatus;
  /** Installs and resolves when done; rejects with the typed error that stopped it. */
  install(request: SpeechModelInstallRequest): Promise<SpeechModelProgress>;
  cancel(): SpeechModelStatus;
  close(): Promise<void>;
}

export interface ModelInstallerDeps {
  readonly model: PinnedModel;
  /** Where installs go: the first folder the engine searches. */
  readonly modelsDir: string;
  /** Every folder the engine searches, and the model it is told to prefer, for "in use". */
  readonly searchDirs: readonly string[];
  readonly preferredModel?: string | undefined;
  readonly settings: () => SourceSettings;
  /** The source settings are locked by the machine policy. */
  readonly sourceLocked: () => boolean;
  readonly events: Pick<EventBus, 'emit'>;
  readonly logger: Logger;
  readonly fetch?: typeof fetch;
  readonly write?: WriteChunk;
  readonly idleMs?: number;
  /** Waits before trying a cut download again by itself; then it stops and offers Resume. */
  readonly retryDelaysMs?: readonly number[];
  readonly progressIntervalMs?: number;
}

/** What `npm run models:fetch` leaves too: the model was installed whole and verified. */
const MARKER = 'scribe-model.json';

interface Marker {
  readonly id?: unknown;
  readonly revision?: unknown;
  readonly files?: readonly { readonly path?: unknown; readonly sha256?: unknown }[];
}

function pinnedIsInstalled(folder: string, model: PinnedModel): boolean {
  let marker: Marker;
  try {
    marker = JSON.parse(readFileSync(join(folder, MARKER), 'utf8')) as Marker;
  } catch {
    return false;
  }
  if (marker.id !== model.id || marker.revision !== model.revision) return false;
  return model.files.every((file) => {
    const listed = marker.files?.some((m) => m.path === file.path && m.sha256 === file.sha256);
    const size = existsSync(join(folder, file.path)) ? statSync(join(folder, file.path)).size : -1;
    return listed === true && size === file.size;
  });
}

const retryable = (error: unknown) =>
  error instanceof ScribeError && ['speech_model.interrupted', 'speech_model.unreachable'].includes(error.reason);

const sleep = (ms: number, signal: AbortSignal) =>
  new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal.addEventListener('abort', () => (clearTimeout(timer), resolve()), { once: true });
  });

export function createModelInstaller(deps: ModelInstallerDeps): ModelInstaller {
  const { model, logger } = deps;
  const parts = model.id.split('/');
  const name = pinnedModelName(model);
  const folder = join(deps.modelsDir, ...parts);
  const staging = join(dirname(folder), `.${name}.download`);
  const fetchImpl = deps.fetch ?? fetch;
  const write = deps.write ?? writeChunk;
  const retryDelays = deps.retryDelaysMs ?? [1_000, 5_000];
  const interval = deps.progressIntervalMs ?? 250;

  let progress: SpeechModelProgress | null = null;
  let running: { promise: Promise<SpeechModelProgress>; abort: AbortController } | undefined;
  let lastEmit = 0;

  const emit = (force = false) => {
    if (!progress) return;
    const now = Date.now();
    if (!force && now - lastEmit < interval) return;
    lastEmit = now;
    deps.events.emit('models:progress', structuredClone(progress));
  };

  function inUse(): SpeechModelStatus['inUse'] {
    try {
      const found = resolveWhisperModel(deps.searchDirs, deps.preferredModel);
      return { id: found.id, name: modelDisplayName(found), folder: found.path };
    } catch {
      return null;
    }
  }

  function status(): SpeechModelStatus {
    return {
      pinned: { id: model.id, name, revision: model.revision, bytes: pinnedModelBytes(model) },
      pinnedInstalled: pinnedIsInstalled(folder, model),
      inUse: inUse(),
      modelsFolder: deps.modelsDir,
      source: configuredSource(deps.settings()),
      sourceLocked: deps.sourceLocked(),
      install: progress ? structuredClone(progress) : leftover(),
    };
  }

  /** What an install an earlier run of the app did not finish left in the staging folder: offered as Resume. */
  function leftover(): SpeechModelProgress | null {
    if (!existsSync(staging)) return null;
    const files = model.files.map((f) => {
      const at = join(staging, ...f.path.split('/'));
      const verified = existsSync(at);
      const bytes = verified ? f.size : existsSync(`${at}.partial`) ? Math.min(f.size, statSync(`${at}.partial`).size) : 0;
      return {
        path: f.path,
        bytesDone: bytes,
        bytesTotal: f.size,
        sha256: f.sha256,
        state: verified ? ('verified' as const) : ('waiting' as const),
      };
    });
    const bytesDone = files.reduce((n, f) => n + f.bytesDone, 0);
    if (bytesDone === 0) return null;
    const error = downloadInterrupted(files.find((f) => f.state === 'waiting')?.path ?? '', bytesDone);
    return {
      modelId: model.id,
      state: 'failed',
      bytesDone,
      bytesTotal: pinnedModelBytes(model),
      files,
      source: configuredSource(deps.settings()),
      error: { reason: error.reason, message: error.message },
    };
  }

  async function transfer(source: SpeechModelSource, file: PinnedFile, partial: string, signal: AbortSignal, onBytes: (n: number) => void) {
    const transferDeps = { fetch: fetchImpl, write, idleMs: deps.idleMs ?? 60_000, signal, folder: deps.modelsDir };
    if (source.kind === 'folder') return copyFile(join(source.folder, ...parts, file.path), partial, file, transferDeps, onBytes);
    if (source.kind === 'forbidden') throw downloadsForbidden();
    for (let attempt = 0; ; attempt += 1) {
      try {
        return await downloadFile(fileUrl(source.url, model, file), partial, file, transferDeps, onBytes);
      } catch (error) {
        const delay = retryDelays[attempt];
        if (!retryable(error) || delay === undefined || signal.aborted) throw error;
        logger.warn('speech_model.retrying', { file: file.path, attempt: attempt + 1 });
        await sleep(delay, signal);
        if (signal.aborted) throw installCancelled();
      }
    }
  }

  async function putInPlace(): Promise<void> {
    const marker = { id: model.id, revision: model.revision, files: model.files, installedAt: new Date().toISOString() };
    await writeFile(join(staging, MARKER), `${JSON.stringify(marker, null, 2)}\n`);
    const old = existsSync(folder) ? join(dirname(folder), `.${name}.old-${randomBytes(4).toString('hex')}`) : undefined;
    if (old) await rename(folder, old);
    try {
      await rename(staging, folder);
    } catch (error) {
      if (old) await rename(old, folder);
      throw error;
    }
    if (old) await rm(old, { recursive: true, force: true });
  }

  async function run(source: SpeechModelSource, signal: AbortSignal, current: SpeechModelProgress): Promise<SpeechModelProgress> {
    await mkdir(staging, { recursive: true });
    for (const [index, file] of model.files.entries()) {
      const entry = current.files[index]!;
      const target = join(staging, ...file.path.split('/'));
      await mkdir(dirname(target), { recursive: true });
      entry.state = 'downloading';
      const partial = `${target}.partial`;
      // A file verified by an earlier attempt is checked again on its way back into the partial.
      if (existsSync(target)) await rename(target, partial);
      await transfer(source, file, partial, signal, (bytes) => {
        current.bytesDone += bytes - entry.bytesDone;
        entry.bytesDone = bytes;
        emit();
      });
      await rename(partial, target);
      entry.state = 'verified';
      emit(true);
    }
    await putInPlace();
    current.state = 'installed';
    logger.info('speech_model.installed', { model: name, source: source.kind, bytes: current.bytesTotal });
    emit(true);
    return current;
  }

  function begin(request: SpeechModelInstallRequest): { promise: Promise<SpeechModelProgress>; abort: AbortController } {
    const settings = deps.settings();
    const configured = configuredSource(settings);
    const source = request.from ? sourceFrom(request.from, settings) : configured;
    // IT's locked mirror or folder is also a rule about where this computer fetches from, not only what it trusts.
    if (request.from && deps.sourceLocked() && JSON.stringify(source) !== JSON.stringify(configured)) throw sourceLocked();
    if (source.kind === 'forbidden') throw downloadsForbidden();
    const already = pinnedIsInstalled(folder, model);
    const current: SpeechModelProgress = {
      modelId: model.id,
      state: 'downloading',
      bytesDone: 0,
      bytesTotal: pinnedModelBytes(model),
      files: model.files.map((f) => ({ path: f.path, bytesDone: 0, bytesTotal: f.size, sha256: f.sha256, state: 'waiting' as const })),
      source,
    };
    progress = current;
    const abort = new AbortController();
    if (already) {
      current.state = 'installed';
      current.bytesDone = current.bytesTotal;
      for (const entry of current.files) Object.assign(entry, { state: 'verified', bytesDone: entry.bytesTotal });
      emit(true);
      return { promise: Promise.resolve(current), abort };
    }
    emit(true);
    logger.info('speech_model.install_started', { model: name, source: source.kind });
    const promise = run(source, abort.signal, current).catch((error: unknown) => {
      const failure = asInstallError(error, deps.modelsDir);
      current.state = failure.reason === 'speech_model.cancelled' ? 'cancelled' : 'failed';
      const file = failure.details?.['file'];
      for (const entry of current.files.filter((f) => f.state === 'downloading')) {
        entry.state = 'waiting';
        // A refused file was deleted: none of it is kept.
        if (failure.reason === 'speech_model.file_mismatch' && entry.path === file) {
          current.bytesDone -= entry.bytesDone;
          entry.bytesDone = 0;
        }
      }
      current.error = { reason: failure.reason, message: failure.message, ...(typeof file === 'string' ? { file } : {}) };
      logger.warn('speech_model.install_failed', { model: name, reason: failure.reason, ...(typeof file === 'string' ? { file } : {}) });
      emit(true);
      throw failure;
    });
    const handle = { promise, abort };
    running = handle;
    void promise.then(
      () => (running === handle ? (running = undefined) : undefined),
      () => (running === handle ? (running = undefined) : undefined),
    );
    return handle;
  }

  return {
    status,
    start(request) {
      const handle = running ?? begin(request);
      handle.promise.catch(() => undefined);
      return status();
    },
    install(request) {
      try {
        return (running ?? begin(request)).promise;
      } catch (error) {
        return Promise.reject(asInstallError(error, deps.modelsDir));
      }
    },
    cancel() {
      running?.abort.abort();
      return status();
    },
    async close() {
      const handle = running;
      handle?.abort.abort();
      await handle?.promise.catch(() => undefined);
    },
  };
}

/** Anything a ScribeError did not already name: a full disk or a folder that cannot be written. */
function asInstallError(error: unknown, folder: string): ScribeError {
  if (error instanceof ScribeError) return error;
  const code = (error as { code?: unknown } | undefined)?.code;
  if (code === 'ENOSPC' || code === 'EDQUOT') return diskFull(MARKER, folder);
  return cannotWrite('(models folder)', folder, typeof code === 'string' ? code : 'unknown');
}

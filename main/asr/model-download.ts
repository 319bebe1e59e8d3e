import { createHash } from 'node:crypto';
import type { Hash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import type { FileHandle } from 'node:fs/promises';
import { open, rm, stat } from 'node:fs/promises';
import { ScribeError } from '../kernel/errors.js';
import type { PinnedFile } from './model-manifest.js';
import {
  cannotWrite,
  diskFull,
  downloadInterrupted,
  fileMismatch,
  fileNotOnServer,
  installCancelled,
  notInSharedFolder,
  serverRefused,
  sourceUnreachable,
} from './model-install-errors.js';

/** Writes one chunk; tests pass one that fails as a full disk would. */
export type WriteChunk = (handle: FileHandle, chunk: Uint8Array) => Promise<void>;

export const writeChunk: WriteChunk = async (handle, chunk) => {
  await handle.write(chunk);
};

export interface TransferDeps {
  readonly fetch: typeof fetch;
  readonly write: WriteChunk;
  /** A download that receives nothing for this long is treated as cut. */
  readonly idleMs: number;
  readonly signal: AbortSignal;
  /** The models folder, named in a full-disk error. */
  readonly folder: string;
}

/** Where the bytes come from, starting at `offset` when it can (a server may ignore a Range and start again). */
type OpenSource = (offset: number) => Promise<{ readonly body: AsyncIterable<Uint8Array>; readonly offset: number }>;

const errorCode = (error: unknown): string | undefined => {
  const e = error as { code?: unknown; cause?: { code?: unknown } } | undefined;
  const code = e?.cause?.code ?? e?.code;
  return typeof code === 'string' ? code : undefined;
};

const UNREACHABLE = new Set(['ENOTFOUND', 'EAI_AGAIN', 'ECONNREFUSED', 'ENETUNREACH', 'EHOSTUNREACH']);

async function hashExisting(partial: string, hash: Hash): Promise<number> {
  const size = (await stat(partial).catch(() => undefined))?.size ?? 0;
  if (size === 0) return 0;
  for await (const chunk of createReadStream(partial)) hash.update(chunk as Buffer);
  return size;
}

/**
 * Fills `partial` with the whole file, keeping (and re-hashing) what an earlier attempt left, and
 * checks it against the pinned size and SHA-256. A file that does not match is deleted; when bytes
 * kept from an earlier attempt were part of it (the server's file may have changed since), it is
 * fetched once more from the start before the mismatch counts. An interruption leaves the partial
 * for the next attempt.
 */
async function fillPartial(
  partial: string,
  file: PinnedFile,
  openSource: OpenSource,
  deps: TransferDeps,
  onBytes: (bytesDone: number) => void,
): Promise<void> {
  const kept = (await stat(partial).catch(() => undefined))?.size ?? 0;
  try {
    await fillOnce(partial, file, openSource, deps, onBytes);
  } catch (error) {
    if (kept === 0 || !(error instanceof ScribeError) || error.reason !== 'speech_model.file_mismatch') throw error;
    await fillOnce(partial, file, openSource, deps, onBytes);
  }
}

async function fillOnce(
  partial: string,
  file: PinnedFile,
  openSource: OpenSource,
  deps: TransferDeps,
  onBytes: (bytesDone: number) => void,
): Promise<void> {
  let hash = createHash('sha256');
  let done = await hashExisting(partial, hash);
  if (done > file.size) {
    await rm(partial, { force: true });
    hash = createHash('sha256');
    done = 0;
  }
  onBytes(done);
  if (done < file.size) {
    const source = await openSource(done);
    if (source.offset !== done) {
      // The source starts from the beginning: what was kept is thrown away.
      hash = createHash('sha256');
      done = 0;
      onBytes(0);
    }
    const handle = await open(partial, done === 0 ? 'w' : 'a').catch((error: unknown) => {
      throw writeError(error, file, deps.folder);
    });
    try {
      for await (const chunk of source.body) {
        if (deps.signal.aborted) throw installCancelled();
        if (done + chunk.length > file.size) {
          await handle.close();
          await rm(partial, { force: true });
          throw fileMismatch(file.path, file.sha256, 'larger than the pinned file');
        }
        try {
          await deps.write(handle, chunk);
        } catch (error) {
          throw writeError(error, file, deps.folder);
        }
        hash.update(chunk);
        done += chunk.length;
        onBytes(done);
      }
    } catch (error) {
      if (deps.signal.aborted) throw installCancelled();
      if (error instanceof ScribeError) throw error;
      throw downloadInterrupted(file.path, done);
    } finally {
      await handle.close().catch(() => undefined);
    }
  }
  if (done < file.size) throw downloadInterrupted(file.path, done);
  const digest = hash.digest('hex');
  if (digest !== file.sha256) {
    await rm(partial, { force: true });
    throw fileMismatch(file.path, file.sha256, digest);
  }
}

function writeError(error: unknown, file: PinnedFile, folder: string): Error {
  const code = errorCode(error);
  if (code === 'ENOSPC' || code === 'EDQUOT') return diskFull(file.path, folder);
  return cannotWrite(file.path, folder, code ?? 'unknown');
}

/** Downloads one file from `url` into `partial` (HTTP Range from what is already there). */
export async function downloadFile(
  url: string,
  partial: string,
  file: PinnedFile,
  deps: TransferDeps,
  onBytes: (bytesDone: number) => void,
): Promise<void> {
  const idle = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  const arm = () => {
    clearTimeout(timer);
    timer = setTimeout(() => idle.abort(), deps.idleMs);
  };
  const host = new URL(url).host;
  const openSource: OpenSource = async (offset) => {
    arm();
    let response: Response;
    try {
      response = await deps.fetch(url, {
        headers: offset > 0 ? { Range: `bytes=${offset}-` } : {},
        signal: AbortSignal.any([deps.signal, idle.signal]),
        redirect: 'follow',
      });
    } catch (error) {
      if (deps.signal.aborted) throw installCancelled();
      const code = errorCode(error);
      if (code && UNREACHABLE.has(code)) throw sourceUnreachable(host);
      throw downloadInterrupted(file.path, offset);
    }
    if (response.status === 404) throw fileNotOnServer(file.path, url);
    const resumed = response.status === 206 && (response.headers.get('content-range') ?? '').startsWith(`bytes ${offset}-`);
    if (!resumed && response.status !== 200) throw serverRefused(file.path, url, response.status);
    if (!response.body) throw downloadInterrupted(file.path, offset);
    const body = response.body;
    async function* watched(): AsyncIterable<Uint8Array> {
      for await (const chunk of body) {
        arm();
        yield chunk;
      }
    }
    return { body: watched(), offset: resumed ? offset : 0 };
  };
  try {
    await fillPartial(partial, file, openSource, deps, onBytes);
  } finally {
    clearTimeout(timer);
  }
}

/** Copies one file from IT's shared folder into `partial`, checked the same way. */
export async function copyFile(
  source: string,
  partial: string,
  file: PinnedFile,
  deps: TransferDeps,
  onBytes: (bytesDone: number) => void,
): Promise<void> {
  const openSource: OpenSource = async (offset) => {
    const info = await stat(source).catch(() => undefined);
    if (!info?.isFile()) throw notInSharedFolder(file.path, source);
    const start = offset <= info.size ? offset : 0;
    return { body: createReadStream(source, { start, signal: deps.signal }), offset: start };
  };
  await fillPartial(partial, file, openSource, deps, onBytes);
}

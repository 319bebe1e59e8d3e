import { closeSync, fstatSync, mkdirSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import type { Logger } from './logger.js';
import { createLogger } from './logger.js';

export interface RotatingFileOptions {
  readonly dir: string;
  /** e.g. `main.log`; older files are `main.log.1` (newest) to `main.log.<maxFiles-1>`. */
  readonly fileName: string;
  readonly maxBytes?: number;
  readonly maxFiles?: number;
}

export interface RotatingFile {
  write(line: string): void;
  close(): void;
}

export const DEFAULT_MAX_BYTES = 5 * 1024 * 1024;
export const DEFAULT_MAX_FILES = 5;

/**
 * Appends lines to a file and rotates by size: at most `maxFiles` files of about `maxBytes` each,
 * so logs never fill the disk. Writes are synchronous so the lines before a crash are on disk.
 * Files are created readable by the user only.
 */
export function createRotatingFile(options: RotatingFileOptions): RotatingFile {
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_BYTES;
  const maxFiles = Math.max(1, options.maxFiles ?? DEFAULT_MAX_FILES);
  const base = join(options.dir, options.fileName);
  let fd: number | null = null;
  let size = 0;

  const open = (): number => {
    if (fd !== null) return fd;
    mkdirSync(options.dir, { recursive: true, mode: 0o700 });
    fd = openSync(base, 'a', 0o600);
    size = fstatSync(fd).size;
    return fd;
  };

  const close = () => {
    if (fd === null) return;
    try {
      closeSync(fd);
    } finally {
      fd = null;
    }
  };

  const rotate = () => {
    close();
    rmSync(`${base}.${maxFiles - 1}`, { force: true });
    for (let i = maxFiles - 2; i >= 1; i -= 1) {
      try {
        renameSync(`${base}.${i}`, `${base}.${i + 1}`);
      } catch {
        // A gap in the sequence (a file removed by hand) is fine.
      }
    }
    if (maxFiles > 1) renameSync(base, `${base}.1`);
    else rmSync(base, { force: true });
  };

  return {
    write(line) {
      const bytes = Buffer.from(line, 'utf8');
      open();
      if (size > 0 && size + bytes.length > maxBytes) {
        rotate();
        open();
      }
      writeSync(open(), bytes);
      size += bytes.length;
    },
    close,
  };
}

/** A redacting logger over a rotating file; `close` releases the file. */
export function createRotatingFileLogger(options: RotatingFileOptions & { now?: () => Date }): Logger & { close(): void } {
  const file = createRotatingFile(options);
  return { ...createLogger((line) => file.write(line), options.now), close: () => file.close() };
}

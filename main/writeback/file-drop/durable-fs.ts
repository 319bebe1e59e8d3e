import { open } from 'node:fs/promises';

/**
 * Writes a new file and forces it to disk before returning. `wx` refuses to reuse a name, so a
 * stale temp file from another attempt is never silently appended to or mixed with this one.
 * The mode defaults to the process umask's: who may read a drop folder (the EMR's import service
 * runs as another account) is decided by the folder's permissions, which IT sets.
 */
export async function writeNewFileDurably(path: string, data: Buffer, mode?: number): Promise<void> {
  const handle = await open(path, 'wx', mode);
  try {
    await handle.writeFile(data);
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/**
 * Makes renames in `dir` durable. Directories cannot be opened for fsync on Windows (where NTFS
 * journals the rename itself), so the platforms that refuse are let through.
 */
export async function syncDirectory(dir: string): Promise<void> {
  let handle;
  try {
    handle = await open(dir, 'r');
    await handle.sync();
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code !== 'EISDIR' && code !== 'EPERM' && code !== 'EINVAL' && code !== 'EACCES') throw error;
  } finally {
    await handle?.close();
  }
}

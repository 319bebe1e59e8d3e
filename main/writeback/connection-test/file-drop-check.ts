import { randomUUID } from 'node:crypto';
import { rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { ConnectionCheck } from '../../../shared/domain/connection-test.js';
import { syncDirectory, writeNewFileDurably } from '../file-drop/durable-fs.js';
import { checkResult, seconds, skipped, within } from './check-result.js';

const TITLE = { folder: 'File drop folder', write: 'Writing to the folder' } as const;
const PROBE_TEXT = Buffer.from('Ambient Scribe connection test. Safe to delete.\n', 'utf8');

const errno = (error: unknown) => (error as NodeJS.ErrnoException | undefined)?.code ?? 'unknown';

/**
 * The folder exists and a probe file can be written, forced to disk and removed: what every drop
 * does, without a note. The probe is a dot-file, which importers skip like the drops' temp files.
 */
export async function checkFileDrop(folder: string | null, timeoutMs: number): Promise<ConnectionCheck[]> {
  let started = performance.now();
  const result = (step: 'folder' | 'write', outcome: Parameters<typeof checkResult>[4]) =>
    checkResult('file-drop', `file-drop.${step}`, TITLE[step], started, outcome);
  const later = skipped('file-drop', [{ step: 'file-drop.write', title: TITLE.write }]);
  if (folder === null) {
    return [
      result('folder', {
        status: 'failed',
        code: 'not_configured',
        message: 'No file drop folder is set.',
        hint: 'Set "File drop folder" under EHR connection to the folder the EMR imports from.',
      }),
      ...later,
    ];
  }

  const found = await within(
    stat(folder).then(
      (s) => (s.isDirectory() ? 'ok' : 'ENOTDIR'),
      (error: unknown) => errno(error),
    ),
    timeoutMs,
  );
  const folderCode = found.done ? found.value : 'timeout';
  if (folderCode !== 'ok') {
    const failures: Record<string, { message: string; hint: string }> = {
      ENOENT: {
        message: `The folder ${folder} does not exist.`,
        hint: 'Check the path, and that the network share is connected. Ambient Scribe does not create the folder, so an unmounted share is noticed instead of filling a local folder.',
      },
      ENOTDIR: {
        message: `${folder} is not a folder (it, or a part of the path, is a file).`,
        hint: 'Check the path: it must name the folder the EMR imports from.',
      },
      EACCES: {
        message: `The folder ${folder} cannot be opened by this account.`,
        hint: 'Ask IT to give the account that runs Ambient Scribe access to the folder.',
      },
      timeout: {
        message: `The folder ${folder} did not answer within ${seconds(timeoutMs)}.`,
        hint: 'A network share may be slow or disconnected: check the connection to the file server.',
      },
    };
    const failure = failures[folderCode] ?? {
      message: `The folder ${folder} cannot be read (${folderCode}).`,
      hint: 'Check the path and the folder permissions.',
    };
    return [
      result('folder', {
        status: 'failed',
        code: folderCode === 'ENOENT' ? 'folder_missing' : folderCode === 'timeout' ? 'timeout' : 'folder_unusable',
        ...failure,
      }),
      ...later,
    ];
  }
  const folderOk = result('folder', { status: 'ok', code: 'ok', message: `The folder ${folder} exists.` });

  started = performance.now();
  const probe = join(folder, `.scribe-connection-test-${randomUUID()}.tmp`);
  const wrote = await within(
    (async () => {
      try {
        await writeNewFileDurably(probe, PROBE_TEXT);
        await rm(probe);
        await syncDirectory(folder);
        return 'ok';
      } catch (error) {
        await rm(probe, { force: true }).catch(() => undefined);
        return errno(error);
      }
    })(),
    timeoutMs,
  );
  const writeCode = wrote.done ? wrote.value : 'timeout';
  if (writeCode === 'ok') {
    return [folderOk, result('write', { status: 'ok', code: 'ok', message: 'A test file was written, forced to disk and removed.' })];
  }
  const failures: Record<string, { code: string; message: string; hint: string }> = {
    EACCES: {
      code: 'not_writable',
      message: 'This account may not write files in the folder.',
      hint: 'Ask IT to give the account that runs Ambient Scribe permission to create and delete files there.',
    },
    EPERM: {
      code: 'not_writable',
      message: 'This account may not write files in the folder.',
      hint: 'Ask IT to give the account that runs Ambient Scribe permission to create and delete files there.',
    },
    EROFS: {
      code: 'read_only',
      message: 'The folder is on a read-only drive or share.',
      hint: 'Use a folder on a writable drive or share.',
    },
    ENOSPC: { code: 'disk_full', message: 'The drive holding the folder is full.', hint: 'Free space on the drive or share.' },
    EDQUOT: {
      code: 'disk_full',
      message: "The account's disk quota on the folder's drive is used up.",
      hint: 'Ask IT to raise the quota or free space.',
    },
    timeout: {
      code: 'timeout',
      message: `Writing to the folder did not finish within ${seconds(timeoutMs)}.`,
      hint: 'A network share may be slow or disconnected: check the connection to the file server.',
    },
  };
  const failure = failures[writeCode] ?? {
    code: 'write_failed',
    message: `A test file could not be written in the folder (${writeCode}).`,
    hint: 'Check the folder permissions and the drive.',
  };
  return [folderOk, result('write', { status: 'failed', ...failure })];
}

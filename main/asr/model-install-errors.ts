import { ScribeError } from '../kernel/errors.js';

/**
 * Why installing the speech model failed. Messages are plain words for a clinician; the file, the
 * source and the numbers go in `details` (shown behind "Details for IT").
 */

export const manifestUnusable = () =>
  new ScribeError('internal', 'The list of speech model files this app trusts could not be read.', {
    reason: 'speech_model.manifest_unusable',
  });

export const downloadsForbidden = () =>
  new ScribeError(
    'locked_by_policy',
    'Your organisation does not allow the speech model to be downloaded on this computer. Ask IT to install it.',
    {
      reason: 'speech_model.downloads_forbidden',
    },
  );

export const badSource = (what: string) =>
  new ScribeError('bad_request', 'Install from an https:// address (http:// only on this computer) or a full folder path.', {
    reason: 'speech_model.bad_source',
    details: { source: String(what).slice(0, 200) },
  });

export const sourceLocked = () =>
  new ScribeError(
    'locked_by_policy',
    'Your organisation sets where the speech model comes from. Install it without naming another source.',
    {
      reason: 'speech_model.source_locked',
    },
  );

export const fileMismatch = (file: string, expected: string, actual: string) =>
  new ScribeError(
    'integrity',
    'A downloaded file did not match the speech model this app trusts, so it was deleted and nothing was installed. Try again, or tell IT if it happens again.',
    { reason: 'speech_model.file_mismatch', details: { file, expectedSha256: expected, actualSha256: actual } },
  );

export const downloadInterrupted = (file: string, bytesDone: number) =>
  new ScribeError('unavailable', 'The download was interrupted. What arrived is kept: resume to carry on.', {
    reason: 'speech_model.interrupted',
    details: { file, bytesDone },
  });

export const sourceUnreachable = (host: string) =>
  new ScribeError(
    'unavailable',
    'The speech model could not be downloaded: the server could not be reached. Check the network and resume.',
    {
      reason: 'speech_model.unreachable',
      details: { host },
    },
  );

export const fileNotOnServer = (file: string, url: string) =>
  new ScribeError('not_found', 'The server does not have the speech model this app needs. Ask IT to check the download address.', {
    reason: 'speech_model.not_on_server',
    details: { file, url, status: 404 },
  });

export const serverRefused = (file: string, url: string, status: number) =>
  new ScribeError('unavailable', `The server would not send the speech model (it answered ${status}). Try again later or ask IT.`, {
    reason: 'speech_model.server_error',
    details: { file, url, status },
  });

export const diskFull = (file: string, folder: string) =>
  new ScribeError('unavailable', 'There is not enough free disk space for the speech model. Free some space, then resume.', {
    reason: 'speech_model.disk_full',
    details: { file, folder },
  });

export const cannotWrite = (file: string, folder: string, code: string) =>
  new ScribeError('unavailable', 'The speech model could not be saved on this computer. Ask IT to check the models folder.', {
    reason: 'speech_model.write_failed',
    details: { file, folder, code },
  });

export const notInSharedFolder = (file: string, folder: string) =>
  new ScribeError('not_found', 'The shared folder does not hold the speech model. Ask IT to check it.', {
    reason: 'speech_model.not_in_folder',
    details: { file, folder },
  });

export const installCancelled = () =>
  new ScribeError('conflict', 'The download was stopped. What arrived is kept: resume to carry on.', { reason: 'speech_model.cancelled' });

import type { ApiError } from '../../shared/api/errors.js';
import { ScribeError } from '../kernel/errors.js';
import { KeyUnavailableError } from '../store/errors.js';

/** A failed API call, raised again with everything the dispatcher said about it. */
export const apiCallFailed = (error: ApiError) =>
  new ScribeError(error.code, error.message, { reason: error.reason ?? error.code, ...(error.details ? { details: error.details } : {}) });

export const noKeyGiven = () => new KeyUnavailableError('No key given: set SCRIBE_PASSPHRASE or pass --key-file FILE.', 'cli.no_key_given');

export const invalidRole = () =>
  new ScribeError('bad_request', 'SCRIBE_ROLE must be clinician, scribe or admin.', { reason: 'cli.invalid_role' });

export const rendererNotBuilt = () =>
  new ScribeError('unavailable', 'The renderer is not built; run `npm run build` first.', { reason: 'cli.renderer_not_built' });

/** Commands that write a file never overwrite one. */
export const outputFileExists = () =>
  new ScribeError('conflict', 'That file already exists; choose a new name.', { reason: 'file.already_exists' });

export const encounterOrPatient = () =>
  new ScribeError('bad_request', 'Give an encounter id or --patient <patient-id>, not both.', { reason: 'cli.encounter_or_patient' });

export const reasonNeedsPatient = () =>
  new ScribeError('bad_request', "--reason goes with --patient; an encounter's reason comes from the EHR.", {
    reason: 'cli.reason_needs_patient',
  });

export const invalidVisitId = () =>
  new ScribeError('bad_request', 'Invalid request: check the visit id.', { reason: 'cli.invalid_visit_id', details: { field: 'visitId' } });

export const invalidMilliseconds = () =>
  new ScribeError('bad_request', 'Times are whole milliseconds, 0 or more.', { reason: 'cli.invalid_milliseconds' });

/** The file's name may itself hold a patient's name, so these describe the problem, not the path. */
export const transcriptFileMissing = () =>
  new ScribeError('bad_request', 'The transcript file does not exist.', { reason: 'cli.transcript_file_missing' });

export const transcriptFileUnopenable = (errno: string) =>
  new ScribeError('bad_request', 'The transcript file cannot be opened.', { reason: 'cli.transcript_file_unopenable', details: { errno } });

export const transcriptFileTooLarge = () =>
  new ScribeError('bad_request', 'The transcript file is larger than 10 MB; split it or check that it is a transcript.', {
    reason: 'cli.transcript_file_too_large',
  });

export const transcriptFileNotText = () =>
  new ScribeError('bad_request', 'The transcript file is not text (it holds binary data).', { reason: 'cli.transcript_file_not_text' });

export const addendumTextOrFile = () =>
  new ScribeError('bad_request', 'Give the addendum with exactly one of --text or --file.', { reason: 'cli.addendum_text_or_file' });

export const addendumFileUnreadable = (errno: string) =>
  new ScribeError('bad_request', `The addendum file could not be read (${errno}).`, {
    reason: 'cli.addendum_file_unreadable',
    details: { errno },
  });

export const noAddendumToSign = () =>
  new ScribeError('conflict', 'This visit has no unsigned addendum to sign.', { reason: 'signing.no_open_addendum' });

export const invalidRate = () => new ScribeError('bad_request', 'Rates are numbers from 0 to 1.', { reason: 'cli.invalid_rate' });

export const invalidPort = () =>
  new ScribeError('bad_request', 'Ports are whole numbers from 0 to 65535 (0: any free port).', { reason: 'cli.invalid_port' });

export const notAJwks = () =>
  new ScribeError('bad_request', 'The --client-jwks file is not a JWKS ({"keys": [...]}).', { reason: 'cli.client_jwks_invalid' });

export const invalidLineCount = () =>
  new ScribeError('bad_request', '--lines must be a whole number from 0 to 100000.', { reason: 'cli.invalid_line_count' });

export const keyFileNeeded = () =>
  new ScribeError('bad_request', '--create-key-file needs --key-file FILE.', { reason: 'cli.key_file_needed' });

export const invalidPractitionerId = () =>
  new ScribeError(
    'bad_request',
    "--as takes the EHR's practitioner id: letters, digits, '-' and '.', up to 64 characters (a 'Practitioner/' prefix is allowed).",
    { reason: 'cli.invalid_practitioner_id' },
  );

export const confirmAnswerNeeded = () =>
  new ScribeError('bad_request', 'Say what you found in the EHR: --delivered or --not-delivered (one of them).', {
    reason: 'cli.confirm_answer_needed',
  });

export const codeChangeTwice = (code: string) =>
  new ScribeError('bad_request', `${code} is named twice: accept, reject or add each code once.`, {
    reason: 'cli.code_change_twice',
    details: { code },
  });

export const codeNotOnNote = (code: string) =>
  new ScribeError('bad_request', `${code} is not on this note; add it with --add.`, { reason: 'cli.code_not_on_note', details: { code } });

export const codeNotBillable = (input: string, message: string, alternatives: readonly string[]) =>
  new ScribeError('bad_request', `${message}${alternatives.length ? ` Try ${alternatives.join(', ')}.` : ''}`, {
    reason: 'cli.code_not_billable',
    details: { code: input },
  });

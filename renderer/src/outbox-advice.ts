import type { OutboxJobSummary, OutboxRoute } from '../../shared/domain/outbox.js';
import type { SettingsView } from '../../shared/domain/policy.js';
import { DEMO_EHR_LABEL } from '../../shared/domain/demo-ehr.js';

const targetLabels: Record<NonNullable<OutboxJobSummary['target']>, string> = { fhir: 'FHIR', hl7v2: 'HL7 v2', 'file-drop': 'File drop' };
const routeLabels: Record<OutboxRoute, string> = {
  fhir: 'FHIR',
  hl7v2: 'HL7 v2',
  'file-drop': 'File drop',
  'fhir-then-hl7v2': 'FHIR, then HL7 v2',
};

export function whereLabel(job: Pick<OutboxJobSummary, 'route' | 'target'>): string {
  return job.target ? targetLabels[job.target] : routeLabels[job.route];
}

/** Refusals by the EHR itself (HTTP 4xx, validation): someone has to look at its reason. */
const FAILED_BY_EHR: ReadonlySet<string> = new Set([
  'rejected',
  'invalid_resource',
  'invalid_job',
  'conflict',
  'not_found',
  'gone',
  'precondition_failed',
  'too_large',
  'http_error',
  'bad_request',
]);

const NOT_REACHED: ReadonlySet<string> = new Set(['unreachable', 'timeout', 'connection_lost', 'aborted', 'retry', 'bad_response']);

/**
 * What went wrong, in plain words, by the job's error code. The server's own words (HTTP statuses,
 * FHIR paths, OperationOutcome text) go under "Details for IT", never in this sentence.
 */
export function plainReason(job: Pick<OutboxJobSummary, 'state' | 'lastErrorCode'>): string {
  const code = job.lastErrorCode ?? '';
  if (job.state === 'unknown_outcome') return 'The note was sent, but the EHR’s answer never came back.';
  if (code === 'not_configured') return 'This workstation is not connected to an EHR.';
  if (code.startsWith('auth_') || code === 'unauthorized' || code === 'forbidden')
    return 'The EHR did not accept this workstation’s sign-in.';
  if (code.startsWith('folder_') || code === 'disk_full' || code === 'write_error' || code === 'name_conflict')
    return 'The export folder could not be written.';
  if (code === 'note_hash_mismatch' || code === 'invalid_note') return 'The note could not be sent exactly as it was signed.';
  if (code === 'partial_write') return 'The EHR took part of the note and refused the rest.';
  if (code === 'duplicate_found') return 'The EHR already holds a note with this identifier.';
  if (code === 'unsupported_fhir_version' || code === 'not_supported' || code === 'tls_error' || code === 'not_fhir')
    return 'The EHR connection is not set up the way this app needs.';
  if (NOT_REACHED.has(code)) return 'The EHR could not be reached.';
  if (FAILED_BY_EHR.has(code) || code.startsWith('hl7_')) return 'The EHR refused the note.';
  return 'The EHR did not take the note.';
}

/** The sign dialog's title once the note is signed: it says delivered only when the EHR confirmed it. */
export function signedTitle(job: Pick<OutboxJobSummary, 'state'> | undefined): string {
  if (job?.state === 'delivered') return 'Signed and delivered to the EHR';
  if (job?.state === 'failed' || job?.state === 'unknown_outcome') return 'Signed, not delivered yet';
  return 'Signed: sending to the EHR';
}

/** What a person should do about a job's last error, by its code; the server's own words are under "Details for IT". */
export function adviceFor(job: Pick<OutboxJobSummary, 'state' | 'lastErrorCode'>): string {
  const code = job.lastErrorCode ?? '';
  if (job.state === 'unknown_outcome')
    return 'Open the patient’s chart in the EHR and look for this note. It is not sent again until someone says what they found.';
  if (job.state !== 'failed') return 'Nothing to do: it is sent again automatically.';
  if (code === 'not_configured')
    return 'This workstation has no connection to the EHR set up. Ask IT to set it up in Settings, then press Retry.';
  if (code.startsWith('auth_') || code === 'unauthorized')
    return 'The EHR did not accept this workstation’s credentials. Ask IT to check the EHR connection, then press Retry.';
  if (code.startsWith('folder_') || code === 'disk_full' || code === 'write_error' || code === 'name_conflict')
    return 'The export folder could not be written. Check the folder (or ask IT), then press Retry.';
  if (code === 'note_hash_mismatch' || code === 'invalid_note')
    return 'The note could not be sent as signed. Do not retry; tell IT so they can check the note.';
  if (code === 'partial_write')
    return 'The EHR took part of the note and refused the rest. Tell IT before retrying, so the EHR record can be checked first.';
  if (code === 'duplicate_found')
    return 'The EHR already holds a note with this identifier. Check the patient’s record in the EHR before doing anything else.';
  if (code === 'unsupported_fhir_version' || code === 'not_supported' || code === 'tls_error')
    return 'The EHR connection is not set up the way this app needs. Ask IT to check the EHR connection, then press Retry.';
  if (FAILED_BY_EHR.has(code) || code.startsWith('hl7_'))
    return 'Tell IT: the EHR’s reason is under “Details for IT”. If it is something missing in the EHR (a patient, encounter or clinician record), have that fixed there, then press Retry.';
  return 'When the cause is fixed, press Retry; if you are unsure, tell IT and show them “Details for IT”.';
}

export interface Destination {
  readonly title: string;
  readonly detail: string;
  /** The addresses behind the title (server URL, host and port, folder), for IT. */
  readonly forIt: readonly string[];
}

/**
 * Where this workstation's settings send a signed note, in words; `demoEhr` when the app uses the demo
 * EHR it started (no EHR is set up), which is then named as such.
 */
export function destinationOf(view: SettingsView, demoEhr = false): Destination {
  const s = view.settings;
  const demo = `the ${DEMO_EHR_LABEL}`;
  // With no FHIR server set up and no demo EHR in this app, notes go to a sandbox EHR started on this computer (`scribe sandbox`).
  const fhir = demoEhr ? demo : s.fhirBaseUrl.value ? 'the EHR' : 'the sandbox EHR on this computer (no FHIR server is set up)';
  const hl7 = demoEhr ? demo : s.mllpHost.value ? 'the EHR’s HL7 v2 interface' : 'the HL7 v2 interface (not set up)';
  const fhirForIt = s.fhirBaseUrl.value ? [`FHIR server: ${s.fhirBaseUrl.value}`] : [];
  const hl7ForIt = s.mllpHost.value ? [`HL7 v2 interface: ${s.mllpHost.value}:${s.mllpPort.value}${s.mllpTls.value ? ' (TLS)' : ''}`] : [];
  switch (s.ehrRouting.value) {
    case 'fhir':
      return {
        title: `To ${fhir}`,
        detail:
          'As a progress note (DocumentReference), a diagnosis (Condition) for each accepted code, and a record that you signed it with AI assistance (Provenance).',
        forIt: fhirForIt,
      };
    case 'hl7v2':
      return {
        title: `To ${hl7}`,
        detail: 'As an HL7 v2 document message (MDM^T02) with the note and the accepted codes.',
        forIt: hl7ForIt,
      };
    case 'file-drop':
      return {
        title: s.fileDropFolder.value ? 'To the folder the EMR imports from' : 'To a folder the EMR imports from (not set up)',
        detail: 'As PDF, text and JSON files that the EMR imports.',
        forIt: s.fileDropFolder.value ? [`Folder: ${s.fileDropFolder.value}`] : [],
      };
    case 'fhir-then-hl7v2':
      return {
        title: demoEhr ? `To ${demo}` : `To ${fhir}; if it cannot be reached, to ${hl7}`,
        detail: 'As a progress note with a diagnosis for each accepted code.',
        forIt: [...fhirForIt, ...hl7ForIt],
      };
  }
}

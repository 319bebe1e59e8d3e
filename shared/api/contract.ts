import { z } from 'zod';
import { AuditEntry, AuditVerifyReport } from '../domain/audit.js';
import { AuthChanged, AuthStatus, SignInRequest, SignInStarted } from '../domain/auth.js';
import { Identity } from '../domain/identity.js';
import { AppendResult, AudioFrame, CaptureStatus, Consent, RecordConsentRequest, RecoverAction, SpeechSegment } from '../domain/capture.js';
import { Attestation, Note } from '../domain/note.js';
import { NoteAddendum, SaveAddendumRequest, SignAddendumRequest, SignAddendumResult } from '../domain/addendum.js';
import { OutboxJobSummary, OutboxState } from '../domain/outbox.js';
import { DraftRequest, DraftResult } from '../domain/drafting.js';
import { Transcript, TranscriptImportRequest, TranscriptImportResult } from '../domain/transcript.js';
import { TranscribeRequest, TranscriptionStatus } from '../domain/transcription.js';
import { NewVisit, Visit, VisitState } from '../domain/visit.js';
import {
  PatientSearchRequest,
  PatientSearchResult,
  Schedule,
  ScheduleRequest,
  StartEncounterRequest,
  OpenPatientVisitRequest,
  StartPatientVisitRequest,
  StartVisitResult,
} from '../domain/ehr.js';
import { AutoDraftStatus } from '../domain/auto-draft.js';
import { DemoEhrReceived, DemoEhrStatus } from '../domain/demo-ehr.js';
import { SettingsUpdate, SettingsView } from '../domain/policy.js';
import { SpeechModelInstallRequest, SpeechModelProgress, SpeechModelStatus } from '../domain/speech-model.js';
import { ConnectionTestResult } from '../domain/connection-test.js';
import { GlobalShortcutStatus, ShortcutPressed } from '../domain/global-shortcut.js';
import { IcdSearchRequest, IcdSearchResult, IcdValidation, TerminologyInfo } from '../domain/terminology.js';
import { IsoDateTime, VisitId } from '../ids.js';

/**
 * The one API contract. Each call is declared once here; Electron IPC, the loopback web bridge
 * and the CLI all serve the same handler table built against it (main/api/handlers.ts).
 * Channel names are `area:verb`; requests are always objects so calls can grow fields.
 */
const call = <Req extends z.ZodType, Res extends z.ZodType>(request: Req, response: Res) => ({ request, response });

export const Role = z.enum(['clinician', 'scribe', 'admin']);
export type Role = z.infer<typeof Role>;

export const AppInfo = z.object({
  name: z.string(),
  version: z.string(),
  transport: z.enum(['ipc', 'web', 'cli']),
  schemaVersion: z.number().int(),
  user: z.object({ id: z.string(), role: Role }),
});
export type AppInfo = z.infer<typeof AppInfo>;

const ReadableVisitSummary = Visit.pick({
  id: true,
  patientId: true,
  encounterId: true,
  state: true,
  createdAt: true,
  updatedAt: true,
}).extend({
  patientName: z.string().optional(),
  /** What tells five visits of one patient apart in a list. */
  reasonForVisit: z.string().optional(),
  clinician: z.string().optional(),
  scheduledAt: IsoDateTime.optional(),
  /** Who started the visit (their user id). */
  createdBy: z.string().optional(),
  damaged: z.undefined().optional(),
});
/** A visit whose stored record failed its integrity check: listed with its state and times, nothing about the patient. */
const DamagedVisitSummary = Visit.pick({ id: true, state: true, createdAt: true, updatedAt: true }).extend({
  damaged: z.literal(true),
  patientId: z.undefined().optional(),
  encounterId: z.undefined().optional(),
  patientName: z.undefined().optional(),
  reasonForVisit: z.undefined().optional(),
  clinician: z.undefined().optional(),
  scheduledAt: z.undefined().optional(),
  createdBy: z.undefined().optional(),
});
/** One visit of a list; `damaged` set when its record cannot be read, so one damaged row never hides the others. */
export const VisitSummary = z.union([ReadableVisitSummary, DamagedVisitSummary]);
export type VisitSummary = z.infer<typeof VisitSummary>;

export const VisitListRequest = z.object({
  /** Only visits created on or after this instant. */
  since: IsoDateTime.optional(),
  states: z.array(VisitState).optional(),
  limit: z.number().int().min(1).max(1000).default(200),
});

export const NoteDraft = Note.omit({ revision: true, updatedAt: true, updatedBy: true });

export const NoteView = z.object({
  note: Note,
  signed: z.boolean(),
  revisions: z.array(
    z.object({ revision: z.number().int(), at: IsoDateTime, author: z.string(), kind: z.enum(['draft', 'edit', 'addendum']) }),
  ),
  /** Addenda written after signing, in order, each with its own signature and delivery state. */
  addenda: z.array(NoteAddendum),
  /** The transcript was replaced or revised after the note was drafted: sentences that lost their evidence say so. */
  transcriptChanged: z.boolean(),
});

export const MAX_AUDIO_RANGE_MS = 60_000;

export const AudioRangeRequest = z
  .object({ visitId: VisitId, fromMs: z.number().int().nonnegative(), toMs: z.number().int().positive() })
  .refine((r) => r.toMs > r.fromMs && r.toMs - r.fromMs <= MAX_AUDIO_RANGE_MS, {
    message: 'a range is longer than 0 and at most 60 s',
    path: ['toMs'],
  });

export const AudioRange = z.object({
  visitId: VisitId,
  sampleRate: z.literal(16_000),
  /** The range returned, clipped to the end of the recording. */
  fromMs: z.number().int().nonnegative(),
  toMs: z.number().int().nonnegative(),
  /** The whole recording's stored length. */
  totalMs: z.number().int().nonnegative(),
  pcm: z.base64(),
});
export type AudioRange = z.infer<typeof AudioRange>;

export const channels = {
  'app:info': call(z.object({}), AppInfo),
  /** The OS-wide start/stop shortcut: registered, in use by another program, off, or not a desktop app. */
  'app:globalShortcut': call(z.object({}), GlobalShortcutStatus),
  /** Brings the window to the front, only just after a global shortcut press (main/app/global-shortcut.ts). */
  'app:raiseWindow': call(z.object({}), z.object({ raised: z.boolean() })),
  /** Clinician sign-in (SMART on FHIR): who is signed in, never a token. */
  'auth:status': call(z.object({}), AuthStatus),
  /**
   * Opens the EHR's sign-in page in the system browser (the browser mode: answers its address for a
   * new tab); the outcome arrives as auth:changed.
   */
  'auth:signIn': call(SignInRequest, SignInStarted),
  /**
   * Who acts now (signed in with the EHR, or the workstation account), their role, the practitioner
   * they sign as, whether they may sign.
   */
  'auth:whoami': call(z.object({}), Identity),
  'auth:cancel': call(z.object({}), AuthStatus),
  'auth:signOut': call(z.object({}), AuthStatus),
  'visit:create': call(NewVisit, Visit),
  'visit:list': call(VisitListRequest, z.object({ visits: z.array(VisitSummary) })),
  'visit:get': call(z.object({ id: VisitId }), Visit),
  /** Today's encounters from the EHR (the sandbox by default), each with its local visit's state when started. */
  'ehr:schedule': call(ScheduleRequest, Schedule),
  /** Patients on the EHR by name, MRN or birth date, to start a visit for someone not on the schedule. */
  'ehr:patientSearch': call(PatientSearchRequest, PatientSearchResult),
  /** Opens the encounter's visit, creating it from the EHR's details the first time: one visit per encounter. */
  'ehr:startVisit': call(StartEncounterRequest, StartVisitResult),
  /** Creates a visit for a patient found by search, from the EHR's details and lists (not tied to an encounter). */
  'ehr:createVisitForPatient': call(StartPatientVisitRequest, StartVisitResult),
  /** Launched from a patient's chart without an encounter: today's unsigned visit for the patient, else a new one as above. */
  'ehr:openPatientVisit': call(OpenPatientVisitRequest, StartVisitResult),
  /** Whether the app uses the demo EHR it started itself (no EHR configured): the UI labels the EHR so. */
  'ehr:demoStatus': call(z.object({}), DemoEhrStatus),
  /** What the demo EHR has filed (DocumentReferences, HL7 v2 messages), so a signed note can be seen arriving. */
  'ehr:demoReceived': call(z.object({}), DemoEhrReceived),
  'audit:verify': call(z.object({}), AuditVerifyReport),
  'icd:search': call(IcdSearchRequest, IcdSearchResult),
  'icd:validate': call(z.object({ code: z.string().trim().min(1).max(32) }), IcdValidation),
  'terminology:info': call(z.object({}), TerminologyInfo),
  'settings:get': call(z.object({}), SettingsView),
  'settings:update': call(SettingsUpdate, SettingsView),
  /** The pinned speech model: installed or missing, the model transcription uses, where an install comes from. */
  'models:status': call(z.object({}), SpeechModelStatus),
  /** Starts installing the speech model (or joins the install under way); progress arrives as models:progress. */
  'models:install': call(SpeechModelInstallRequest, SpeechModelStatus),
  'models:cancel': call(z.object({}), SpeechModelStatus),
  /** Probes the configured EHR route (FHIR, HL7 v2, file drop) without sending patient data. */
  'ehr:testConnection': call(z.object({}), ConnectionTestResult),
  'note:get': call(z.object({ visitId: VisitId }), NoteView),
  'note:save': call(z.object({ visitId: VisitId, baseRevision: z.number().int().nonnegative().optional(), note: NoteDraft }), Note),
  /** `acknowledgeUnsupported`: the clinician checked the sentences without transcript evidence; required when there are any. */
  'visit:sign': call(
    z.object({ visitId: VisitId, revision: z.number().int().positive(), acknowledgeUnsupported: z.boolean().optional() }),
    z.object({ attestation: Attestation, jobId: z.string() }),
  ),
  /** Saves addendum text on a signed note (starts one, or continues the unsigned one from baseRevision). */
  'note:addendum': call(SaveAddendumRequest, NoteAddendum),
  /** Signs the unsigned addendum at exactly `revision` and queues it after the original note. */
  'visit:signAddendum': call(SignAddendumRequest, SignAddendumResult),
  'outbox:list': call(z.object({}), z.object({ jobs: z.array(OutboxJobSummary) })),
  'outbox:retry': call(z.object({ jobId: z.string().uuid() }), OutboxJobSummary),
  /** A person's answer for a job whose outcome is unknown, after checking the EHR (clinicians and administrators). */
  'outbox:confirm': call(z.object({ jobId: z.string().uuid(), delivered: z.boolean() }), OutboxJobSummary),
  'outbox:run': call(z.object({}), z.object({ delivered: z.number().int(), retrying: z.number().int(), failed: z.number().int() })),
  'transcript:get': call(z.object({ visitId: VisitId }), Transcript),
  'transcript:import': call(TranscriptImportRequest, TranscriptImportResult),
  'visit:draft': call(DraftRequest, DraftResult),
  /** Transcribes what is not yet transcribed; follows a recording that goes on; finalises once it stopped. */
  'visit:transcribe': call(TranscribeRequest, TranscriptionStatus),
  'transcription:status': call(z.object({ visitId: VisitId }), TranscriptionStatus),
  'transcription:cancel': call(z.object({ visitId: VisitId }), TranscriptionStatus),
  'visit:recordConsent': call(RecordConsentRequest, Consent),
  'capture:start': call(z.object({ visitId: VisitId }), CaptureStatus),
  'capture:append': call(AudioFrame, AppendResult),
  'capture:pause': call(z.object({ visitId: VisitId }), CaptureStatus),
  'capture:resume': call(z.object({ visitId: VisitId }), CaptureStatus),
  'capture:stop': call(z.object({ visitId: VisitId }), CaptureStatus),
  'capture:recover': call(z.object({ visitId: VisitId, action: RecoverAction }), CaptureStatus),
  'capture:status': call(z.object({ visitId: VisitId }), CaptureStatus),
  'capture:segments': call(
    z.object({ visitId: VisitId, afterIndex: z.number().int().min(-1).default(-1) }),
    z.object({ segments: z.array(SpeechSegment), complete: z.boolean() }),
  ),
  /** Playback in review: up to a minute of stored audio per call, as 16 kHz mono Int16 LE (base64). */
  'audio:range': call(AudioRangeRequest, AudioRange),
  /** A scribe (or clinician) hands a reviewed note over for signature. */
  'visit:markReady': call(z.object({ visitId: VisitId }), Visit),
  /** Whether the note is being (or was) drafted on its own after the recording, and why not when it was not. */
  'visit:autoDraftStatus': call(z.object({ visitId: VisitId }), AutoDraftStatus),
  /** Erases the visit's local copy for a patient's erasure request (policy `visitErasureRoles`); refused until its notes are in the EHR. */
  'visit:erase': call(z.object({ visitId: VisitId }), z.object({ visitId: VisitId, erasedAt: IsoDateTime, fileScrubbed: z.boolean() })),
  /** The audit log a page at a time, for an export file made in the app. */
  'audit:export': call(
    z.object({ afterSeq: z.number().int().nonnegative().default(0), limit: z.number().int().min(1).max(10_000).default(5_000) }),
    z.object({ entries: z.array(AuditEntry), nextAfterSeq: z.number().int().nullable() }),
  ),
} as const;

/** Events main pushes to every connected renderer. Payloads carry ids and states, never PHI. */
export const events = {
  /** The global start/stop shortcut was pressed (main/app/global-shortcut.ts): the renderer does what the in-window shortcut does. */
  'app:shortcut': ShortcutPressed,
  /** Sign-in state changed (signing in, signed in, token renewed, signed out, failed): fetch details with auth:status. */
  'auth:changed': AuthChanged,
  'visit:changed': z.object({ visitId: VisitId, state: VisitState }),
  /** The visit's local copy was erased: it is gone from lists and views. */
  'visit:erased': z.object({ visitId: VisitId }),
  /** Auto-drafting after a recording: drafting, drafted, skipped or failed (with a reason in plain words, never PHI). */
  'visit:autoDraft': AutoDraftStatus,
  /** Names of the settings that changed; values are fetched with settings:get. */
  'settings:changed': z.object({ keys: z.array(z.string()) }),
  'note:changed': z.object({ visitId: VisitId, revision: z.number().int() }),
  /** An addendum to a signed note was saved or signed (the note itself did not change): fetch it with note:get. */
  'addendum:changed': z.object({ visitId: VisitId, seq: z.number().int().positive(), revision: z.number().int() }),
  'outbox:changed': z.object({ jobId: z.string(), visitId: VisitId, state: OutboxState }),
  /** A transcript grew, was revised, imported or finalised: counts only, the text is fetched with transcript:get. */
  'transcript:changed': z.object({ visitId: VisitId, segments: z.number().int().nonnegative(), final: z.boolean() }),
  /** A speech segment closed (times only); it never changes afterwards. */
  'capture:segment': SpeechSegment.extend({ visitId: VisitId }),
  /** Transcription progress and state (counts, engine and model names, a safe error): never text. */
  'transcription:progress': TranscriptionStatus,
  /** Speech model install: bytes done per file and overall, then installed, failed (with a reason id) or cancelled. */
  'models:progress': SpeechModelProgress,
} as const;

export type Channel = keyof typeof channels;
export type EventName = keyof typeof events;
/** What a caller sends (defaults optional). */
export type RequestIn<C extends Channel> = z.input<(typeof channels)[C]['request']>;
/** What a handler receives after validation (defaults filled in). */
export type RequestOf<C extends Channel> = z.output<(typeof channels)[C]['request']>;
export type ResponseOf<C extends Channel> = z.output<(typeof channels)[C]['response']>;
export type EventOf<E extends EventName> = z.output<(typeof events)[E]>;

export const channelNames = Object.keys(channels) as Channel[];
export const eventNames = Object.keys(events) as EventName[];

export function isChannel(name: unknown): name is Channel {
  return typeof name === 'string' && Object.hasOwn(channels, name);
}

export function isEventName(name: unknown): name is EventName {
  return typeof name === 'string' && Object.hasOwn(events, name);
}

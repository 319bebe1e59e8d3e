import { z } from 'zod';
import { IsoDateTime } from '../ids.js';

/** Audit rows hold who did what to which object, never PHI: object ids are our random ids. */
export const AuditAction = z.enum([
  'store.created',
  'store.unlocked',
  'visit.created',
  'visit.viewed',
  'visit.marked_ready',
  'audit.exported',
  'terminology.imported',
  'consent.recorded',
  'capture.started',
  'capture.paused',
  'capture.resumed',
  'capture.stopped',
  'capture.interrupted',
  'capture.recovered',
  'audio.imported',
  'audio.import_discarded',
  'audio.exported',
  'audio.played',
  'settings.updated',
  'transcript.imported',
  'transcript.replaced',
  'transcript.finalized',
  'transcript.viewed',
  'transcription.started',
  'transcription.audio_sent',
  'transcription.failed',
  'transcription.cancelled',
  'drafting.llm_requested',
  'drafting.auto_failed',
  'note.viewed',
  'note.drafted',
  'note.edited',
  'note.signed',
  'note.addendum_started',
  'note.addendum_edited',
  'note.addendum_signed',
  'outbox.queued',
  'outbox.delivered',
  'outbox.failed',
  'outbox.requeued',
  /** Sent, arrival unknowable: held for a person. */
  'outbox.outcome_unknown',
  /** A person's answer to an unknown outcome; the object id ends in :delivered or :not_delivered. */
  'outbox.outcome_confirmed',
  'auth.signed_in',
  'auth.signed_out',
  'auth.session_ended',
  /** "Test connection" of the EHR route: object id is the route; nothing about patients. */
  'ehr.connection_tested',
  /** Signed although sentences lack transcript evidence: object id `<visit id>:count:<n>`. */
  'note.unsupported_acknowledged',
  /** Reads of PHI from the EHR: who, and how many results (object id `count:<n>`), never the search terms. */
  'ehr.schedule_viewed',
  'ehr.patients_searched',
  /** A confirmed visit's audio destroyed after the retention period (its key, then its chunks): object is the visit. */
  'audio.purged',
  /** A visit's local copy erased on a patient's request: object is the visit, actor who erased it. */
  'visit.erased',
]);
export type AuditAction = z.infer<typeof AuditAction>;

export const AuditEntry = z.object({
  seq: z.number().int().positive(),
  at: IsoDateTime,
  actor: z.string(),
  action: z.string(),
  objectType: z.string(),
  objectId: z.string(),
  prevHash: z.string(),
  hash: z.string(),
});
export type AuditEntry = z.infer<typeof AuditEntry>;

export const AuditProblem = z.object({
  seq: z.number().int(),
  kind: z.enum([
    'edited',
    'deleted',
    'reordered',
    'truncated',
    'broken_link',
    /** The log's tables are gone. */
    'missing_table',
    /** The log does not begin with the store's creation (emptied, or restarted after a deletion). */
    'not_started',
    /** The database is older than the anchor file beside it: a copy was put back. */
    'rolled_back',
    /** The anchor file beside the database is missing or not one this store wrote. */
    'anchor_invalid',
  ]),
  message: z.string(),
});
export type AuditProblem = z.infer<typeof AuditProblem>;

export const AuditVerifyReport = z.object({
  ok: z.boolean(),
  entries: z.number().int().nonnegative(),
  problems: z.array(AuditProblem),
});
export type AuditVerifyReport = z.infer<typeof AuditVerifyReport>;

import { z } from 'zod';
import { IsoDateTime, VisitId } from '../ids.js';
import { VisitState } from './visit.js';

/** Everything the app stores and transcribes is 16 kHz mono signed 16-bit little-endian PCM. */
export const CAPTURE_SAMPLE_RATE = 16_000;
export const SAMPLES_PER_MS = CAPTURE_SAMPLE_RATE / 1000;
/** The largest frame one append may carry: 1 s. The renderer sends about 100 ms per frame. */
export const MAX_FRAME_BYTES = CAPTURE_SAMPLE_RATE * 2;

export const ConsentMethod = z.enum(['verbal', 'written']);
export type ConsentMethod = z.infer<typeof ConsentMethod>;

/** Who gave consent to the recording; a guardian or representative is named in `representativeName`. */
export const ConsentGiver = z.enum(['patient', 'guardian', 'representative']);
export type ConsentGiver = z.infer<typeof ConsentGiver>;

export const RecordConsentRequest = z.object({
  visitId: VisitId,
  method: ConsentMethod,
  givenBy: ConsentGiver.default('patient'),
  /** When consent was given; defaults to now. */
  obtainedAt: IsoDateTime.optional(),
  /** PHI: stored encrypted, never in status, logs or audit rows. */
  representativeName: z.string().trim().min(1).max(200).optional(),
  note: z.string().trim().min(1).max(1000).optional(),
});
export type RecordConsentRequest = z.infer<typeof RecordConsentRequest>;

export const Consent = z.object({
  id: z.uuid(),
  visitId: VisitId,
  method: ConsentMethod,
  givenBy: ConsentGiver,
  obtainedAt: IsoDateTime,
  /** The staff user who confirmed consent (our user id, not PHI). */
  confirmedBy: z.string(),
  recordedAt: IsoDateTime,
  representativeName: z.string().optional(),
  note: z.string().optional(),
});
export type Consent = z.infer<typeof Consent>;

/** Consent as status shows it: how and by whom, without the names or notes it may hold. */
export const ConsentSummary = Consent.pick({ method: true, givenBy: true, obtainedAt: true, confirmedBy: true, recordedAt: true });
export type ConsentSummary = z.infer<typeof ConsentSummary>;

/** The recording's own state, beside the visit's: pausing does not change the visit. */
export const CaptureState = z.enum(['idle', 'recording', 'paused', 'interrupted', 'importing', 'stopped']);
export type CaptureState = z.infer<typeof CaptureState>;

/** Frames missing from the sequence: `missing` numbers were never received after `afterSeq`. */
export const CaptureGap = z.object({ afterSeq: z.number().int().min(-1), missing: z.number().int().positive() });
export type CaptureGap = z.infer<typeof CaptureGap>;

/** A stretch of speech found by the voice-activity detector. Closed segments never change. */
export const SpeechSegment = z.object({
  index: z.number().int().nonnegative(),
  startMs: z.number().int().nonnegative(),
  endMs: z.number().int().nonnegative(),
});
export type SpeechSegment = z.infer<typeof SpeechSegment>;

export const VadAvailability = z.enum(['ready', 'not_loaded', 'unavailable']);
export type VadAvailability = z.infer<typeof VadAvailability>;

export const CaptureStatus = z.object({
  visitId: VisitId,
  visitState: VisitState,
  capture: CaptureState,
  /** The number the next frame must carry; a resumed recording continues from here. */
  nextSeq: z.number().int().nonnegative(),
  durationMs: z.number().int().nonnegative(),
  chunks: z.number().int().nonnegative(),
  gaps: z.array(CaptureGap),
  segments: z.number().int().nonnegative(),
  /** True once every stored sample has been through the voice-activity detector and the last segment is closed. */
  segmentsComplete: z.boolean(),
  consent: ConsentSummary.nullable(),
  consentRequired: z.boolean(),
  vad: VadAvailability,
});
export type CaptureStatus = z.infer<typeof CaptureStatus>;

const MAX_FRAME_BASE64 = Math.ceil(MAX_FRAME_BYTES / 3) * 4;

export const AudioFrame = z.object({
  visitId: VisitId,
  seq: z
    .number()
    .int()
    .nonnegative()
    .max(2 ** 31 - 1),
  /** Base64 of 16 kHz mono Int16 little-endian samples. */
  pcm: z.base64().min(4).max(MAX_FRAME_BASE64),
});
export type AudioFrame = z.infer<typeof AudioFrame>;

export const AppendResult = z.object({
  seq: z.number().int().nonnegative(),
  /** False when this frame was already stored (a retry): nothing changed. */
  stored: z.boolean(),
  nextSeq: z.number().int().nonnegative(),
  /** Audio durably stored so far, including this frame. */
  durationMs: z.number().int().nonnegative(),
  /** Set when frames before this one never arrived. */
  gap: CaptureGap.optional(),
});
export type AppendResult = z.infer<typeof AppendResult>;

export const RecoverAction = z.enum(['resume', 'finish']);
export type RecoverAction = z.infer<typeof RecoverAction>;

export const ImportSummary = z.object({
  visitId: VisitId,
  sourceFormat: z.string(),
  sourceSampleRate: z.number().int().positive(),
  sourceChannels: z.number().int().positive(),
  durationMs: z.number().int().nonnegative(),
  chunks: z.number().int().nonnegative(),
  segments: z.number().int().nonnegative(),
});
export type ImportSummary = z.infer<typeof ImportSummary>;

import { z } from 'zod';

/**
 * The speech model a clinician installs from the app (main/asr/model-install.ts): which pinned
 * model it is, whether it is installed, where it would come from, and a download's progress.
 * Paths, URLs and hashes are for the "Details for IT" disclosure only.
 */

/** Where the model comes from: the public hub, IT's mirror, IT's shared folder, or nowhere (policy forbids downloads). */
export const SpeechModelSource = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('hub'), url: z.string() }),
  z.object({ kind: z.literal('mirror'), url: z.string() }),
  z.object({ kind: z.literal('folder'), folder: z.string() }),
  z.object({ kind: z.literal('forbidden') }),
]);
export type SpeechModelSource = z.infer<typeof SpeechModelSource>;

export const SpeechModelFileProgress = z.object({
  path: z.string(),
  bytesDone: z.number().int().nonnegative(),
  bytesTotal: z.number().int().nonnegative(),
  sha256: z.string(),
  state: z.enum(['waiting', 'downloading', 'verified']),
});
export type SpeechModelFileProgress = z.infer<typeof SpeechModelFileProgress>;

export const SpeechModelInstallState = z.enum(['downloading', 'installed', 'failed', 'cancelled']);
export type SpeechModelInstallState = z.infer<typeof SpeechModelInstallState>;

/** One install, while it runs and after it ended (the last one is kept until the next starts). */
export const SpeechModelProgress = z.object({
  modelId: z.string(),
  state: SpeechModelInstallState,
  bytesDone: z.number().int().nonnegative(),
  bytesTotal: z.number().int().nonnegative(),
  files: z.array(SpeechModelFileProgress),
  source: SpeechModelSource,
  /** Why it failed (reason id as the API's errors; `file` names the file when one is to blame). */
  error: z.object({ reason: z.string(), message: z.string(), file: z.string().optional() }).optional(),
});
export type SpeechModelProgress = z.infer<typeof SpeechModelProgress>;

export const SpeechModelStatus = z.object({
  /** The pinned model the app installs. */
  pinned: z.object({
    id: z.string(),
    name: z.string(),
    revision: z.string(),
    bytes: z.number().int().nonnegative(),
  }),
  /** The pinned model is in the models folder, verified when it was installed. */
  pinnedInstalled: z.boolean(),
  /** The model transcription would use now (the pinned one or another a person put there); null: none. */
  inUse: z.object({ id: z.string(), name: z.string(), folder: z.string() }).nullable(),
  /** The folder installs go to (the first the engine searches). */
  modelsFolder: z.string(),
  source: SpeechModelSource,
  /** The source is decided by the machine policy. */
  sourceLocked: z.boolean(),
  install: SpeechModelProgress.nullable(),
});
export type SpeechModelStatus = z.infer<typeof SpeechModelStatus>;

export const SpeechModelInstallRequest = z.object({
  /** A mirror URL (https, or http on this machine) or a full folder path; default: the configured source. */
  from: z.string().trim().min(1).max(2048).optional(),
});
export type SpeechModelInstallRequest = z.infer<typeof SpeechModelInstallRequest>;

import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Scribe } from '../../main/compose.js';
import { openScribe } from '../../main/compose.js';
import { noVad } from '../../main/capture/vad-provider.js';
import { createPassphraseKeyProvider } from '../../main/store/passphrase-key-provider.js';
import { DATABASE_FILE } from '../../main/store/store.js';
import type { Clock } from '../../main/store/clock.js';
import type { Deliverer } from '../../main/writeback/delivery.js';
import type { Note } from '../../shared/domain/note.js';
import type { Visit } from '../../shared/domain/visit.js';
import { noteDraft } from './note-draft.js';
import { FAST_SCRYPT, SENTINEL } from './temp-store.js';
import { distinctiveFrame } from './wav-fixtures.js';

export const RECORDED_FRAMES = 6;
const clinician = { transport: 'cli', actor: { id: 'dr-retention', role: 'clinician' } } as const;
const scribeUser = { transport: 'cli', actor: { id: 'scribe-1', role: 'scribe' } } as const;

/**
 * A store whose EHR (a scripted FHIR target) confirms every note except those of visits in
 * `refused`, for tests of what happens to a visit's audio after delivery.
 */
export function openDeliveringScribe(dir: string, passphrase: string, clock: Clock, refused: ReadonlySet<string>): Scribe {
  const fhir: Deliverer = {
    target: 'fhir',
    deliver: (job) =>
      Promise.resolve(
        refused.has(job.payload.visitId)
          ? { kind: 'failed', code: 'rejected', reason: 'The EHR refused the note.' }
          : { kind: 'delivered', receipt: { target: 'fhir', resources: [{ type: 'DocumentReference', id: `doc-${job.jobId}` }] } },
      ),
  };
  return openScribe({
    dataDir: dir,
    keyProvider: createPassphraseKeyProvider(passphrase, FAST_SCRYPT),
    mode: 'open-or-create',
    clock,
    vad: noVad,
    writeback: { route: 'fhir', deliverers: { fhir }, leaseMs: 60_000 },
    drafting: { validateCode: (code) => ({ ok: true, code, description: 'A code from the test code set' }) },
  });
}

type Ctx = typeof clinician | typeof scribeUser;

async function call<T>(scribe: Scribe, channel: string, request: unknown, ctx: Ctx = clinician): Promise<T> {
  const result = await scribe.dispatch(channel, request, ctx);
  if (!result.ok) throw Object.assign(new Error(`${channel}: ${result.error.message}`), { apiError: result.error });
  return result.value as T;
}

/**
 * A visit recorded through the API (RECORDED_FRAMES frames of a signal unique to `visitNo`) and
 * transcribed; then signed and sent when `until` says so. 'signed' needs the visit's id in the
 * refused set before it is sent, so this adds it through `refuse`.
 */
export async function recordedVisit(
  scribe: Scribe,
  visitNo: number,
  until: 'recorded' | 'signed' | 'delivered',
  refuse: (visitId: string) => void = () => undefined,
): Promise<{ visit: Visit; frames: Buffer[] }> {
  const visit = await call<Visit>(scribe, 'visit:create', {
    patientId: SENTINEL.patientId,
    encounterId: `enc-retention-${visitNo}`,
    patient: { displayName: SENTINEL.name, mrn: SENTINEL.mrn },
  });
  await call(scribe, 'visit:recordConsent', { visitId: visit.id, method: 'verbal' });
  await call(scribe, 'capture:start', { visitId: visit.id });
  const frames = Array.from({ length: RECORDED_FRAMES }, (_, seq) => distinctiveFrame(visitNo * 1000 + seq));
  for (const [seq, pcm] of frames.entries()) await call(scribe, 'capture:append', { visitId: visit.id, seq, pcm: pcm.toString('base64') });
  await call(scribe, 'capture:stop', { visitId: visit.id });
  // As the transcription engine writes it.
  scribe.transcripts.appendSegments(visit.id, [
    { id: 'seg-1', startMs: 0, endMs: 300, speaker: 'clinician', text: `${SENTINEL.name}, how is the sore throat?` },
    { id: 'seg-2', startMs: 300, endMs: 600, speaker: 'patient', text: 'Better since Tuesday.' },
  ]);
  scribe.transcripts.finalize(visit.id);
  if (until === 'recorded') return { visit, frames };
  const note = await call<Note>(scribe, 'note:save', { visitId: visit.id, note: noteDraft(visit.id) }, scribeUser);
  if (until === 'signed') refuse(visit.id);
  await call(scribe, 'visit:sign', { visitId: visit.id, revision: note.revision, acknowledgeUnsupported: true });
  await call(scribe, 'outbox:run', {});
  assert.equal((await call<Visit>(scribe, 'visit:get', { id: visit.id })).state, until === 'signed' ? 'failed' : 'delivered');
  return { visit, frames };
}

/** The database file and its -wal as they are on disk. */
export const storeFiles = (dir: string): Buffer[] =>
  [DATABASE_FILE, `${DATABASE_FILE}-wal`]
    .map((f) => join(dir, f))
    .filter((f) => existsSync(f))
    .map((f) => readFileSync(f));

/** How many of `needles` occur anywhere in `bytes`. */
export const foundIn = (bytes: readonly Buffer[], needles: readonly Buffer[]) =>
  needles.filter((n) => bytes.some((b) => b.includes(n))).length;

/** 64-byte runs from the start, middle and end of each frame: what a scan of the raw files looks for. */
export const pcmRuns = (frames: readonly Buffer[]) =>
  frames.flatMap((f) => [f.subarray(0, 64), f.subarray(1600, 1664), f.subarray(3136, 3200)]);

/**
 * Issue 7: the visit moves on by itself. Once a recorded visit's transcript is final its note is
 * drafted without a click, a person's note is never drafted over, a failure says why and leaves the
 * manual draft working, and a visit left undrafted (a crash, a CLI transcription) is drafted at the
 * next start, once.
 */
import assert from 'node:assert/strict';
import { afterEach, describe, test } from 'vitest';
import { noVad } from '../../../main/capture/vad-provider.js';
import type { Scribe } from '../../../main/compose.js';
import { openScribe } from '../../../main/compose.js';
import { createPassphraseKeyProvider } from '../../../main/store/passphrase-key-provider.js';
import type { EventName } from '../../../shared/api/contract.js';
import type { AutoDraftStatus } from '../../../shared/domain/auto-draft.js';
import type { Note } from '../../../shared/domain/note.js';
import type { Visit } from '../../../shared/domain/visit.js';
import type { VisitId } from '../../../shared/ids.js';
import { noteDraft } from '../../helpers/note-draft.js';
import { FAST_SCRYPT, SENTINEL, tempDir } from '../../helpers/temp-store.js';

const clinician = { transport: 'web', actor: { id: 'dr-pipeline', role: 'clinician' } } as const;
const admin = { transport: 'web', actor: { id: 'it-pipeline', role: 'admin' } } as const;

const DIALOGUE = [
  { speaker: 'clinician', text: 'What brings you in today?' },
  { speaker: 'patient', text: 'I am here for my blood pressure check.' },
  { speaker: 'clinician', text: 'Your blood pressure today is 152 over 96.' },
  { speaker: 'clinician', text: 'My assessment is essential hypertension, not well controlled.' },
  { speaker: 'clinician', text: 'Plan: start lisinopril 10 milligrams daily and recheck in four weeks.' },
] as const;

const segments = DIALOGUE.map((turn, i) => ({
  id: `asr-${i + 1}`,
  startMs: i * 3_000,
  endMs: i * 3_000 + 2_500,
  speaker: turn.speaker,
  text: turn.text,
  confidence: 0.9,
}));

function frame(seq: number): string {
  const samples = new Int16Array(1600);
  for (let i = 0; i < samples.length; i += 1) samples[i] = Math.round(8_000 * Math.sin((seq * 1600 + i) / 8));
  return Buffer.from(samples.buffer).toString('base64');
}

describe('auto-draft after a recording', () => {
  const dirs: ReturnType<typeof tempDir>[] = [];
  const open: Scribe[] = [];

  function openOne(dir?: string): { scribe: Scribe; dir: string } {
    const tmp = dir ? undefined : tempDir('scribe-pipeline-');
    if (tmp) dirs.push(tmp);
    const dataDir = dir ?? tmp!.dir;
    const scribe = openScribe({
      dataDir,
      keyProvider: createPassphraseKeyProvider('pipeline passphrase', FAST_SCRYPT),
      mode: 'open-or-create',
      vad: noVad,
    });
    open.push(scribe);
    return { scribe, dir: dataDir };
  }

  afterEach(() => {
    for (const scribe of open.splice(0)) scribe.close();
    for (const dir of dirs.splice(0)) dir.cleanup();
  });

  function client(scribe: Scribe) {
    return async <T>(channel: string, request: unknown, ctx: typeof clinician | typeof admin = clinician): Promise<T> => {
      const result = await scribe.dispatch(channel, request, ctx);
      if (!result.ok) throw Object.assign(new Error(result.error.message), { code: result.error.code });
      return result.value as T;
    };
  }

  function record<E extends EventName>(scribe: Scribe, names: readonly E[]) {
    const seen: { event: E; payload: Record<string, unknown> }[] = [];
    scribe.events.subscribeAll((event, payload) => {
      if ((names as readonly string[]).includes(event)) seen.push({ event: event as E, payload: payload as Record<string, unknown> });
    });
    return seen;
  }

  /** A visit recorded and stopped (state transcribing), with the engine's segments in and not yet final. */
  async function recordedVisit(scribe: Scribe): Promise<VisitId> {
    const call = client(scribe);
    const visit = await call<Visit>('visit:create', {
      patientId: SENTINEL.patientId,
      patient: { displayName: SENTINEL.name, mrn: SENTINEL.mrn },
    });
    await call('visit:recordConsent', { visitId: visit.id, method: 'verbal' });
    await call('capture:start', { visitId: visit.id });
    for (let seq = 0; seq < 10; seq += 1) await call('capture:append', { visitId: visit.id, seq, pcm: frame(seq) });
    await call('capture:stop', { visitId: visit.id });
    scribe.transcripts.appendSegments(visit.id, segments);
    return visit.id;
  }

  test('a final transcript after a recording is drafted by itself; the visit becomes draft ready and says so', async () => {
    const { scribe } = openOne();
    scribe.pipeline.start();
    const call = client(scribe);
    const visitId = await recordedVisit(scribe);
    assert.equal((await call<Visit>('visit:get', { id: visitId })).state, 'transcribing');
    const seen = record(scribe, ['visit:changed', 'visit:autoDraft', 'note:changed']);

    scribe.transcripts.finalize(visitId);
    await scribe.pipeline.idle();

    assert.deepEqual(
      seen.map((e) => [e.event, e.payload.state ?? e.payload.revision]),
      [
        ['visit:autoDraft', 'drafting'],
        ['visit:changed', 'draft_ready'],
        ['note:changed', 1],
        ['visit:autoDraft', 'drafted'],
      ],
    );
    assert.equal((await call<Visit>('visit:get', { id: visitId })).state, 'draft_ready');
    const view = await call<{ note: Note; revisions: { author: string; kind: string }[] }>('note:get', { visitId });
    assert.deepEqual(
      view.revisions.map((r) => [r.kind, r.author]),
      [['draft', 'system:auto-draft']],
    );
    assert.equal(view.note.drafter.engine, 'offline', 'no language model is configured: the offline drafter');
    assert.ok(
      view.note.codes.some((code) => code.code === 'I10'),
      'the hypertension in the dialogue is coded',
    );
    assert.deepEqual(await call('visit:autoDraftStatus', { visitId }), { visitId, state: 'drafted' });
    for (const e of seen) assert.ok(!JSON.stringify(e.payload).includes(SENTINEL.name), 'events carry no PHI');

    // Another trigger (the transcript announced again, a restart) drafts nothing more.
    scribe.transcripts.finalize(visitId);
    scribe.events.emit('transcript:changed', { visitId, segments: segments.length, final: true });
    await scribe.pipeline.idle();
    assert.equal((await call<{ note: Note }>('note:get', { visitId })).note.revision, 1);
  });

  test('a note a person already wrote is never drafted over: skipped with the reason, the visit goes to review', async () => {
    const { scribe } = openOne();
    scribe.pipeline.start();
    const call = client(scribe);
    const visitId = await recordedVisit(scribe);
    const own = await call<Note>('note:save', { visitId, note: noteDraft(visitId, 'Written by the clinician during the visit.') });

    scribe.transcripts.finalize(visitId);
    await scribe.pipeline.idle();

    const status = await call<AutoDraftStatus>('visit:autoDraftStatus', { visitId });
    assert.equal(status.state, 'skipped');
    assert.match(status.reason ?? '', /already written or edited/);
    const view = await call<{ note: Note; revisions: unknown[] }>('note:get', { visitId });
    assert.equal(view.note.revision, own.revision);
    assert.equal(view.revisions.length, 1, 'no draft on top of the person’s note');
    assert.match(JSON.stringify(view.note), /Written by the clinician during the visit/);
    assert.equal((await call<Visit>('visit:get', { id: visitId })).state, 'in_review');
  });

  test('a drafting failure leaves the visit transcribed with the reason, audited; the manual draft still works', async () => {
    const { scribe } = openOne();
    scribe.pipeline.start();
    const call = client(scribe);
    // Only the language model may draft here, and none is configured.
    await call('settings:update', { draftingEngines: ['llm'] }, admin);
    const visitId = await recordedVisit(scribe);
    const seen = record(scribe, ['visit:autoDraft']);

    scribe.transcripts.finalize(visitId);
    await scribe.pipeline.idle();

    const status = await call<AutoDraftStatus>('visit:autoDraftStatus', { visitId });
    assert.equal(status.state, 'failed');
    assert.match(status.reason ?? '', /^The note could not be drafted automatically: .+ Use “Draft the note” to try again\.$/);
    assert.ok(
      !status.reason!.includes(SENTINEL.name) && !status.reason!.includes('lisinopril'),
      'the reason carries no PHI or transcript text',
    );
    assert.deepEqual(seen.at(-1)?.payload, status);
    assert.equal((await call<Visit>('visit:get', { id: visitId })).state, 'transcribing');
    await assert.rejects(call('note:get', { visitId }), { code: 'not_found' });
    assert.ok([...scribe.audit.entries()].some((e) => e.action === 'drafting.auto_failed' && e.objectId === visitId));

    await call('settings:update', { draftingEngines: ['llm', 'offline'] }, admin);
    await call('visit:draft', { visitId, engine: 'offline' });
    assert.equal((await call<Visit>('visit:get', { id: visitId })).state, 'draft_ready');
  });

  test('a visit left undrafted is drafted when the pipeline next starts, and only once', async () => {
    const first = openOne();
    const visitId = await recordedVisit(first.scribe);
    // The transcript became final where nothing drafts (a CLI transcription, or the app died first).
    first.scribe.transcripts.finalize(visitId);
    await first.scribe.pipeline.idle();
    await assert.rejects(client(first.scribe)('note:get', { visitId }), { code: 'not_found' });
    first.scribe.close();
    open.splice(open.indexOf(first.scribe), 1);

    const { scribe } = openOne(first.dir);
    const call = client(scribe);
    scribe.pipeline.start();
    scribe.pipeline.start();
    await scribe.pipeline.idle();
    assert.equal((await call<Visit>('visit:get', { id: visitId })).state, 'draft_ready');
    const view = await call<{ note: Note; revisions: unknown[] }>('note:get', { visitId });
    assert.equal(view.revisions.length, 1);

    // A transcript imported by a person is theirs to draft (with the engine and template they pick).
    const imported = await call<Visit>('visit:create', { patientId: SENTINEL.patientId });
    await call('transcript:import', { visitId: imported.id, content: 'Doctor: Any allergies?\nPatient: No known drug allergies.' });
    await scribe.pipeline.idle();
    await assert.rejects(call('note:get', { visitId: imported.id }), { code: 'not_found' });
  });
});

/**
 * The channels the review UI added: audio:range (playback windows of stored audio), visit:markReady
 * (a scribe hands a note over for signature) and audit:export (the audit log a page at a time).
 */
import assert from 'node:assert/strict';
import { afterAll, beforeAll, describe, test } from 'vitest';
import type { Scribe } from '../../../main/compose.js';
import { openScribe } from '../../../main/compose.js';
import { createPassphraseKeyProvider } from '../../../main/store/passphrase-key-provider.js';
import type { AudioRange } from '../../../shared/api/contract.js';
import type { AuditEntry } from '../../../shared/domain/audit.js';
import type { Visit } from '../../../shared/domain/visit.js';
import { FAST_SCRYPT, SENTINEL, tempDir } from '../../helpers/temp-store.js';

const scribeUser = { transport: 'web', actor: { id: 'sc-review', role: 'scribe' } } as const;
const clinician = { transport: 'web', actor: { id: 'dr-review', role: 'clinician' } } as const;
const admin = { transport: 'web', actor: { id: 'it-review', role: 'admin' } } as const;
type Ctx = typeof scribeUser | typeof clinician | typeof admin;

/** 100 ms frames of a ramp, so every sample says where it came from. */
function frame(seq: number): string {
  const samples = new Int16Array(1600);
  for (let i = 0; i < samples.length; i += 1) samples[i] = (seq * 1600 + i) % 32_000;
  return Buffer.from(samples.buffer).toString('base64');
}

describe('review channels: audio:range, visit:markReady, audit:export', () => {
  const tmp = tempDir('scribe-review-channels-');
  let scribe: Scribe;

  async function call<T>(channel: string, request: unknown, ctx: Ctx = clinician): Promise<T> {
    const result = await scribe.dispatch(channel, request, ctx);
    if (!result.ok) throw Object.assign(new Error(result.error.message), { code: result.error.code });
    return result.value as T;
  }
  const newVisit = () => call<Visit>('visit:create', { patientId: SENTINEL.patientId, patient: { displayName: SENTINEL.name } });

  beforeAll(() => {
    scribe = openScribe({
      dataDir: tmp.dir,
      keyProvider: createPassphraseKeyProvider('review channels passphrase', FAST_SCRYPT),
      mode: 'open-or-create',
    });
  });
  afterAll(() => {
    scribe.close();
    tmp.cleanup();
  });

  test('audio:range returns the stored samples of a window, clipped at the end, and is audited', async () => {
    const visit = await newVisit();
    await call('visit:recordConsent', { visitId: visit.id, method: 'verbal' });
    await call('capture:start', { visitId: visit.id });
    for (let seq = 0; seq < 25; seq += 1) await call('capture:append', { visitId: visit.id, seq, pcm: frame(seq) });
    await call('capture:stop', { visitId: visit.id });

    const range = await call<AudioRange>('audio:range', { visitId: visit.id, fromMs: 1_000, toMs: 1_500 });
    assert.deepEqual([range.sampleRate, range.fromMs, range.toMs, range.totalMs], [16_000, 1_000, 1_500, 2_500]);
    const samples = new Int16Array(new Uint8Array(Buffer.from(range.pcm, 'base64')).buffer);
    assert.equal(samples.length, 8_000);
    assert.equal(samples[0], 16_000 % 32_000, 'the first sample is the one at 1 s');
    assert.equal(samples[7_999], (16_000 + 7_999) % 32_000);

    const tail = await call<AudioRange>('audio:range', { visitId: visit.id, fromMs: 2_000, toMs: 60_000 });
    assert.deepEqual([tail.fromMs, tail.toMs], [2_000, 2_500], 'a window past the end stops at the end');
    const beyond = await call<AudioRange>('audio:range', { visitId: visit.id, fromMs: 5_000, toMs: 6_000 });
    assert.equal(beyond.pcm, '', 'nothing after the end');

    await assert.rejects(call('audio:range', { visitId: visit.id, fromMs: 0, toMs: 60_001 }), { code: 'bad_request' });
    await assert.rejects(call('audio:range', { visitId: visit.id, fromMs: 500, toMs: 500 }), { code: 'bad_request' });
    const silent = await newVisit();
    await assert.rejects(call('audio:range', { visitId: silent.id, fromMs: 0, toMs: 1_000 }), { code: 'not_found' });

    const played = [...scribe.audit.entries()].filter((e) => e.action === 'audio.played' && e.objectId === visit.id);
    assert.ok(played.length >= 3, 'each window listened to is in the audit log');
  });

  test('visit:markReady moves a drafted note to ready for signature, once, for clinicians and scribes only', async () => {
    const visit = await newVisit();
    await assert.rejects(call('visit:markReady', { visitId: visit.id }, scribeUser), { code: 'conflict' });
    await call(
      'transcript:import',
      { visitId: visit.id, content: 'Doctor: Any allergies?\nPatient: No known drug allergies.' },
      scribeUser,
    );
    await call('visit:draft', { visitId: visit.id, engine: 'offline' }, scribeUser);
    await assert.rejects(call('visit:markReady', { visitId: visit.id }, admin), { code: 'forbidden' });

    const events: { visitId: string; state: string }[] = [];
    const off = scribe.events.subscribeAll(
      (event, payload) => event === 'visit:changed' && events.push(payload as { visitId: string; state: string }),
    );
    const ready = await call<Visit>('visit:markReady', { visitId: visit.id }, scribeUser);
    off();
    assert.equal(ready.state, 'ready_for_signature');
    assert.deepEqual(events, [{ visitId: visit.id, state: 'ready_for_signature' }]);
    assert.equal(
      (await call<Visit>('visit:markReady', { visitId: visit.id }, scribeUser)).state,
      'ready_for_signature',
      'marking twice is harmless',
    );
    const marked = [...scribe.audit.entries()].filter((e) => e.action === 'visit.marked_ready' && e.objectId === visit.id);
    assert.equal(marked.length, 1);
    assert.equal(marked[0]!.actor, 'sc-review');

    // The scribe still cannot sign what they handed over.
    const note = await call<{ note: { revision: number } }>('note:get', { visitId: visit.id }, scribeUser);
    await assert.rejects(call('visit:sign', { visitId: visit.id, revision: note.note.revision }, scribeUser), { code: 'forbidden' });
  });

  test('audit:export pages through the whole log in order, records the export, and is not for scribes', async () => {
    const all: AuditEntry[] = [];
    let after = 0;
    let pages = 0;
    for (;;) {
      const page = await call<{ entries: AuditEntry[]; nextAfterSeq: number | null }>('audit:export', { afterSeq: after, limit: 7 }, admin);
      all.push(...page.entries);
      pages += 1;
      if (page.nextAfterSeq === null) break;
      after = page.nextAfterSeq;
    }
    assert.ok(pages > 2);
    assert.deepEqual(
      all.map((e) => e.seq),
      all.map((_, i) => i + 1),
      'every entry once, in order',
    );
    assert.ok(all.some((e) => e.action === 'audit.exported' && e.actor === 'it-review'));
    assert.ok(!JSON.stringify(all).includes(SENTINEL.name), 'no patient data in the export');
    await assert.rejects(call('audit:export', {}, scribeUser), { code: 'forbidden' });
  });
});

import assert from 'node:assert/strict';
import { afterAll, beforeAll, describe, test } from 'vitest';
import type { CallContext } from '../../../main/kernel/actor.js';
import { openScribe } from '../../../main/compose.js';
import type { Scribe } from '../../../main/compose.js';
import { createPassphraseKeyProvider } from '../../../main/store/passphrase-key-provider.js';
import type { Note } from '../../../shared/domain/note.js';
import type { NoteDraft } from '../../../main/notes/note-service.js';
import type { Visit } from '../../../shared/domain/visit.js';
import { CLI_MISSING, cliBuilt, scribe as runCli } from '../../helpers/cli.js';
import { NOTE_DRAFT_TRANSCRIPT, noteDraft, saveAsDrafted } from '../../helpers/note-draft.js';
import { FAST_SCRYPT, SENTINEL, tempDir } from '../../helpers/temp-store.js';
import { skipWhen } from '../../helpers/skip.js';

const PASSPHRASE = 'unsupported sign-off passphrase';
const clinician: CallContext = { transport: 'ipc', actor: { id: 'dr-unsupported', role: 'clinician' } };
const scribeUser: CallContext = { transport: 'ipc', actor: { id: 'sc-unsupported', role: 'scribe' } };

/** noteDraft with two drafted sentences nothing backs (HPI and plan): what a drafter saved. */
function draftWithUnsupported(visitId: string): NoteDraft {
  const draft = noteDraft(visitId);
  const unsupported = (id: string, text: string) => ({
    id,
    text,
    evidence: [],
    support: 'supported' as const, // a client's claim; the store derives its own
    origin: 'drafted' as const,
  });
  return {
    ...draft,
    sections: draft.sections.map((section) => {
      if (section.id === 'hpi')
        return { ...section, sentences: [...section.sentences, unsupported('u1', `${SENTINEL.name} travelled abroad last week.`)] };
      if (section.id === 'plan') return { ...section, sentences: [...section.sentences, unsupported('u2', 'Chest X-ray ordered.')] };
      return section;
    }),
  };
}

/** A reviewer's edit on top: one sentence of their own (not counted as unsupported: they attest it by signing). */
function withReviewerSentence(note: NoteDraft): NoteDraft {
  return {
    ...note,
    sections: note.sections.map((section) =>
      section.id === 'plan'
        ? {
            ...section,
            sentences: [
              ...section.sentences,
              { id: 'a1', text: 'Follow up in two weeks.', evidence: [], support: 'unsupported', origin: 'added' },
            ],
          }
        : section,
    ),
  };
}

/** The visit's transcript, a drafter's note on it, and a reviewer's edit: as review leaves it before signing. */
async function draftedAndReviewed(app: Scribe, visitId: string, draft: (visitId: string) => NoteDraft): Promise<number> {
  const imported = await app.dispatch('transcript:import', { visitId, content: NOTE_DRAFT_TRANSCRIPT }, scribeUser);
  assert.ok(imported.ok, JSON.stringify(imported));
  saveAsDrafted(app.store, visitId, draft(visitId));
  const saved = await app.dispatch('note:save', { visitId, baseRevision: 1, note: withReviewerSentence(draft(visitId)) }, scribeUser);
  assert.ok(saved.ok, JSON.stringify(saved));
  return (saved.value as Note).revision;
}

type Result = { ok: true; value: unknown } | { ok: false; error: { code: string; message: string } };

describe('signing a note with sentences the transcript does not support', () => {
  const tmp = tempDir('scribe-sign-unsupported-');
  let scribe: Scribe;
  const call = async (channel: string, request: unknown, ctx: CallContext = clinician) =>
    (await scribe.dispatch(channel, request, ctx)) as Result;
  const noteFor = async (draft: (visitId: string) => NoteDraft) => {
    const created = await call('visit:create', { patientId: SENTINEL.patientId, patient: { displayName: SENTINEL.name } });
    assert.ok(created.ok);
    const visitId = (created.value as Visit).id;
    return { visitId, revision: await draftedAndReviewed(scribe, visitId, draft) };
  };
  const audit = (visitId: string) =>
    [...scribe.audit.entries()]
      .filter((e) => e.objectId.startsWith(visitId))
      .map((e) => `${e.action} ${e.objectId.slice(visitId.length)}`.trim());

  beforeAll(() => {
    scribe = openScribe({ dataDir: tmp.dir, keyProvider: createPassphraseKeyProvider(PASSPHRASE, FAST_SCRYPT), mode: 'create' });
  });
  afterAll(() => {
    scribe.close();
    tmp.cleanup();
  });

  test('without acknowledgement it is refused, naming the count and sections but no sentence; nothing is signed or queued', async () => {
    const { visitId, revision } = await noteFor(draftWithUnsupported);
    for (const request of [
      { visitId, revision },
      { visitId, revision, acknowledgeUnsupported: false },
    ]) {
      const result = await call('visit:sign', request);
      assert.deepEqual(!result.ok && result.error, {
        code: 'bad_request',
        reason: 'signing.unsupported_unacknowledged',
        details: { count: 2 },
        message:
          '2 sentences have no support in the transcript (history of present illness, plan). Check them, then sign again confirming you did (acknowledgeUnsupported). Nothing was signed.',
      });
    }
    const visit = await call('visit:get', { id: visitId });
    assert.ok(visit.ok);
    assert.notEqual((visit.value as Visit).state, 'signed');
    const outbox = await call('outbox:list', {});
    assert.ok(outbox.ok);
    assert.equal(
      (outbox.value as { jobs: { visitId: string }[] }).jobs.some((job) => job.visitId === visitId),
      false,
      'nothing was queued',
    );
    assert.equal(audit(visitId).includes('note.signed'), false);
  });

  test('with acknowledgement it is signed, and the audit records how many unsupported sentences the clinician acknowledged', async () => {
    const { visitId, revision } = await noteFor(draftWithUnsupported);
    const result = await call('visit:sign', { visitId, revision, acknowledgeUnsupported: true });
    assert.ok(result.ok, JSON.stringify(result));
    const entries = [...scribe.audit.entries()].filter(
      (e) => e.action === 'note.unsupported_acknowledged' && e.objectId.startsWith(visitId),
    );
    assert.deepEqual(
      entries.map((e) => [e.actor, e.objectType, e.objectId]),
      [['dr-unsupported', 'visit', `${visitId}:count:2`]],
    );
    assert.ok(audit(visitId).includes('note.signed'));
  });

  test('a note whose sentences are all supported signs without acknowledgement, and records none', async () => {
    const { visitId, revision } = await noteFor(noteDraft);
    const result = await call('visit:sign', { visitId, revision });
    assert.ok(result.ok, JSON.stringify(result));
    assert.equal(
      audit(visitId).some((line) => line.startsWith('note.unsupported_acknowledged')),
      false,
    );
  });
});

describe('scribe visit sign --acknowledge-unsupported', skipWhen(cliBuilt ? false : CLI_MISSING), () => {
  const tmp = tempDir('scribe-sign-unsupported-cli-');
  const env = { SCRIBE_DATA_DIR: tmp.dir, SCRIBE_PASSPHRASE: PASSPHRASE, SCRIBE_USER: 'dr-cli', SCRIBE_ROLE: 'clinician' };
  let visitId: string;

  beforeAll(async () => {
    assert.equal(runCli(['init'], env).status, 0);
    const created = runCli(['visit', 'create', '--patient', SENTINEL.patientId, '--name', SENTINEL.name, '--json'], env);
    assert.equal(created.status, 0, created.stderr);
    visitId = (JSON.parse(created.stdout) as { id: string }).id;
    const app = openScribe({ dataDir: tmp.dir, keyProvider: createPassphraseKeyProvider(PASSPHRASE), mode: 'open' });
    try {
      await draftedAndReviewed(app, visitId, draftWithUnsupported);
    } finally {
      app.close();
    }
  });
  afterAll(() => tmp.cleanup());

  test('refuses without the flag, saying why without quoting the note; signs with it', () => {
    const refused = runCli(['visit', 'sign', visitId, '--as', 'dr-cli'], env);
    assert.notEqual(refused.status, 0);
    assert.match(refused.stderr, /2 sentences have no support in the transcript/);
    assert.equal(refused.stderr.includes(SENTINEL.name), false);
    const signed = runCli(['visit', 'sign', visitId, '--as', 'dr-cli', '--acknowledge-unsupported', '--json'], env);
    assert.equal(signed.status, 0, signed.stderr);
    assert.equal((JSON.parse(signed.stdout) as { attestation: { signedBy: string } }).attestation.signedBy, 'dr-cli');
  });
});

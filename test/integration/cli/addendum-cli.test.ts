import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, test } from 'vitest';
import { openScribe } from '../../../main/compose.js';
import { createPassphraseKeyProvider } from '../../../main/store/passphrase-key-provider.js';
import type { NoteAddendum } from '../../../shared/domain/addendum.js';
import type { Note } from '../../../shared/domain/note.js';
import type { OutboxJobSummary } from '../../../shared/domain/outbox.js';
import { CLI_MISSING, cliBuilt, scribe } from '../../helpers/cli.js';
import { noteDraft } from '../../helpers/note-draft.js';
import { SENTINEL, tempDir } from '../../helpers/temp-store.js';
import { skipWhen } from '../../helpers/skip.js';

const PASSPHRASE = 'addendum cli passphrase';

describe('scribe visit addendum / sign-addendum', skipWhen(cliBuilt ? false : CLI_MISSING), () => {
  const tmp = tempDir('scribe-addendum-cli-');
  const env = { SCRIBE_DATA_DIR: tmp.dir, SCRIBE_PASSPHRASE: PASSPHRASE, SCRIBE_USER: 'scribe-cli', SCRIBE_ROLE: 'scribe' };
  let visitId: string;

  beforeAll(async () => {
    assert.equal(scribe(['init'], env).status, 0);
    const created = scribe(['visit', 'create', '--patient', SENTINEL.patientId, '--name', SENTINEL.name, '--json'], env);
    assert.equal(created.status, 0, created.stderr);
    visitId = (JSON.parse(created.stdout) as { id: string }).id;
    // The note itself is drafted and signed through the API (the CLI's signing is tested elsewhere).
    const app = openScribe({ dataDir: tmp.dir, keyProvider: createPassphraseKeyProvider(PASSPHRASE), mode: 'open' });
    try {
      const saved = await app.dispatch(
        'note:save',
        { visitId, note: noteDraft(visitId) },
        { transport: 'cli', actor: { id: 'scribe-cli', role: 'scribe' } },
      );
      assert.ok(saved.ok);
      const signed = await app.dispatch(
        'visit:sign',
        { visitId, revision: (saved.value as Note).revision },
        { transport: 'cli', actor: { id: 'dr-cli', role: 'clinician' } },
      );
      assert.ok(signed.ok);
    } finally {
      app.close();
    }
  });
  afterAll(() => tmp.cleanup());

  test('a scribe writes the addendum (text, then a file), cannot sign it; the clinician signs and it queues after the note', () => {
    const first = scribe(['visit', 'addendum', visitId, '--text', 'First words.'], env);
    assert.equal(first.status, 0, first.stderr);
    assert.match(first.stdout, /Saved addendum 1 \(revision 2\)/);

    const file = join(tmp.dir, 'addendum.txt');
    const text = `Culture for ${SENTINEL.name} negative.\nStop antibiotics.`;
    writeFileSync(file, `${text}\n`);
    const fromFile = scribe(['visit', 'addendum', visitId, '--file', file, '--json'], env);
    assert.equal(fromFile.status, 0, fromFile.stderr);
    const saved = JSON.parse(fromFile.stdout) as NoteAddendum;
    assert.deepEqual([saved.seq, saved.revision, saved.text, saved.state], [1, 3, text, 'draft'], 'the same addendum, its text replaced');

    const neither = scribe(['visit', 'addendum', visitId], env);
    assert.notEqual(neither.status, 0);
    assert.match(neither.stderr, /exactly one of --text or --file/);

    const refused = scribe(['visit', 'sign-addendum', visitId, '--as', 'scribe-cli'], env);
    assert.notEqual(refused.status, 0);
    assert.match(refused.stderr, /Only a clinician can sign an addendum/);

    const signed = scribe(['visit', 'sign-addendum', visitId, '--as', 'dr-cli', '--json'], { ...env, SCRIBE_ROLE: 'clinician' });
    assert.equal(signed.status, 0, signed.stderr);
    const result = JSON.parse(signed.stdout) as { attestation: { seq: number; revision: number; signedBy: string }; jobId: string };
    assert.deepEqual([result.attestation.seq, result.attestation.revision, result.attestation.signedBy], [1, 3, 'dr-cli']);

    const again = scribe(['visit', 'sign-addendum', visitId, '--as', 'dr-cli'], { ...env, SCRIBE_ROLE: 'clinician' });
    assert.notEqual(again.status, 0);
    assert.match(again.stderr, /no unsigned addendum/);

    const status = scribe(['outbox', 'status', '--json'], env);
    assert.equal(status.status, 0, status.stderr);
    const jobs = JSON.parse(status.stdout) as OutboxJobSummary[];
    const addendumJob = jobs.find((j) => j.id === result.jobId)!;
    assert.equal(addendumJob.addendum?.seq, 1);
    assert.match(addendumJob.waiting ?? '', /original note/);
    assert.equal(status.stdout.includes(SENTINEL.name), false, 'the outbox list carries no note text');
  });
});

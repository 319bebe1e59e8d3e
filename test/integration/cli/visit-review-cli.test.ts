/**
 * The review steps from the command line: `scribe visit codes` shows the note's codes and accepts,
 * rejects or adds them as the code panel does (a new revision of the note, audited as an edit, a
 * code that is not billable refused), and `scribe visit ready` hands the note to the clinician.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, test } from 'vitest';
import { openScribe } from '../../../main/compose.js';
import { createPassphraseKeyProvider } from '../../../main/store/passphrase-key-provider.js';
import type { CodeSuggestion } from '../../../shared/domain/note.js';
import type { Visit } from '../../../shared/domain/visit.js';
import { CLI_MISSING, cliBuilt, scribe } from '../../helpers/cli.js';
import { NOTE_DRAFT_TRANSCRIPT, noteDraft } from '../../helpers/note-draft.js';
import { SENTINEL, tempDir } from '../../helpers/temp-store.js';
import { skipWhen } from '../../helpers/skip.js';

const PASSPHRASE = 'visit review cli passphrase';

describe('scribe visit codes / visit ready', skipWhen(cliBuilt ? false : CLI_MISSING), () => {
  const tmp = tempDir('scribe-review-cli-');
  const env = (user: string, role: string) => ({
    SCRIBE_DATA_DIR: tmp.dir,
    SCRIBE_PASSPHRASE: PASSPHRASE,
    SCRIBE_USER: user,
    SCRIBE_ROLE: role,
  });
  const scribeUser = env('scribe-cli', 'scribe');
  let visitId: string;

  const codesOf = (args: readonly string[], as = scribeUser) => {
    const result = scribe(['visit', 'codes', visitId, ...args, '--json'], as);
    assert.equal(result.status, 0, result.stderr);
    return JSON.parse(result.stdout) as { revision: number; codes: CodeSuggestion[] };
  };
  const statuses = (codes: readonly CodeSuggestion[]) => Object.fromEntries(codes.map((c) => [c.code, c.status]));

  beforeAll(async () => {
    assert.equal(scribe(['init'], scribeUser).status, 0);
    const created = scribe(['visit', 'create', '--patient', SENTINEL.patientId, '--name', SENTINEL.name, '--json'], scribeUser);
    assert.equal(created.status, 0, created.stderr);
    visitId = (JSON.parse(created.stdout) as { id: string }).id;
    const app = openScribe({ dataDir: tmp.dir, keyProvider: createPassphraseKeyProvider(PASSPHRASE), mode: 'open' });
    try {
      const draft = noteDraft(visitId);
      draft.codes = [
        { ...draft.codes[0]!, status: 'suggested' },
        { ...draft.codes[1]!, status: 'suggested' },
      ];
      const ctx = { transport: 'cli', actor: { id: 'scribe-cli', role: 'scribe' } } as const;
      assert.ok((await app.dispatch('transcript:import', { visitId, content: NOTE_DRAFT_TRANSCRIPT }, ctx)).ok);
      assert.ok((await app.dispatch('visit:draft', { visitId, engine: 'offline' }, ctx)).ok);
      // The reviewer's note, its codes still only suggested as a drafter leaves them: revision 2, in review.
      const saved = await app.dispatch('note:save', { visitId, baseRevision: 1, note: draft }, ctx);
      assert.ok(saved.ok, JSON.stringify(saved));
    } finally {
      app.close();
    }
  });
  afterAll(() => tmp.cleanup());

  test('shows the codes, then accepts, rejects and adds them as a new revision of the note', () => {
    const shown = scribe(['visit', 'codes', visitId], scribeUser);
    assert.equal(shown.status, 0, shown.stderr);
    assert.match(
      shown.stdout,
      /^Codes on revision 2:\nJ02\.9\s+suggested\s+Acute pharyngitis, unspecified\nR50\.9\s+suggested\s+Fever, unspecified$/m,
    );
    const before = codesOf([]);
    assert.equal(before.revision, 2);

    // Written as people type them: lower case, no dot.
    const changed = codesOf(['--accept', 'j029', '--reject', 'R50.9', '--add', 'I10']);
    assert.equal(changed.revision, 3);
    assert.deepEqual(statuses(changed.codes), { 'J02.9': 'accepted', 'R50.9': 'rejected', I10: 'accepted' });
    const added = changed.codes.find((c) => c.code === 'I10')!;
    assert.equal(added.description, 'Essential (primary) hypertension');
    assert.equal(added.rank, 3);

    const text = scribe(['visit', 'codes', visitId, '--reject', 'I10'], scribeUser);
    assert.equal(text.status, 0, text.stderr);
    assert.match(text.stdout, /^Saved as revision 4 of the note\.\n/);
    assert.match(text.stdout, /^I10\s+rejected\s+Essential \(primary\) hypertension$/m);
    assert.equal(codesOf([]).revision, 4, 'showing the codes saves nothing');
  });

  test('visit list names each visit’s reason, so one patient’s visits read apart', () => {
    const second = scribe(
      ['visit', 'create', '--patient', SENTINEL.patientId, '--name', SENTINEL.name, '--reason', 'Knee pain'],
      scribeUser,
    );
    assert.equal(second.status, 0, second.stderr);
    const listed = scribe(['visit', 'list'], scribeUser);
    assert.equal(listed.status, 0, listed.stderr);
    const lines = listed.stdout.trim().split('\n');
    assert.equal(lines.length, 2);
    assert.match(
      lines.find((l) => !l.includes(visitId))!,
      /patient \S+ {2}“Knee pain”/,
    );
    assert.ok(!lines.find((l) => l.includes(visitId))!.includes('“'), 'a visit without a reason shows none');
  });

  test('refuses a code that is not on the note, a header code, one named twice; and changes nothing', () => {
    const missing = scribe(['visit', 'codes', visitId, '--accept', 'E11.9'], scribeUser);
    assert.notEqual(missing.status, 0);
    assert.match(missing.stderr, /E11\.9 is not on this note; add it with --add/);
    const header = scribe(['visit', 'codes', visitId, '--add', 'J02'], scribeUser);
    assert.notEqual(header.status, 0);
    assert.match(header.stderr, /J02\.9/, 'a header code is refused with billable codes to choose from');
    const twice = scribe(['visit', 'codes', visitId, '--accept', 'J02.9', '--reject', 'j029'], scribeUser);
    assert.notEqual(twice.status, 0);
    assert.match(twice.stderr, /J02\.9 is named twice/);
    assert.equal(codesOf([]).revision, 4);
  });

  test('the scribe marks the note ready for signature; an administrator cannot; the audit log records both edits and the hand-over', () => {
    const admin = scribe(['visit', 'ready', visitId], env('it-cli', 'admin'));
    assert.notEqual(admin.status, 0);
    const ready = scribe(['visit', 'ready', visitId], scribeUser);
    assert.equal(ready.status, 0, ready.stderr);
    assert.equal(ready.stdout.trim(), `Visit ${visitId} is ready for signature.`);
    const again = scribe(['visit', 'ready', visitId, '--json'], scribeUser);
    assert.equal(again.status, 0, again.stderr);
    assert.equal((JSON.parse(again.stdout) as Visit).state, 'ready_for_signature');

    const file = join(tmp.dir, 'audit.jsonl');
    const exported = scribe(['audit', 'export', file], env('it-cli', 'admin'));
    assert.equal(exported.status, 0, exported.stderr);
    const entries = readFileSync(file, 'utf8')
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { action: string; actor: string; objectId: string });
    const ours = entries.filter((e) => e.objectId === visitId);
    assert.equal(
      ours.filter((e) => e.action === 'note.edited' && e.actor === 'scribe-cli').length,
      3,
      'the reviewer’s save and each code change are audited edits',
    );
    assert.equal(ours.filter((e) => e.action === 'visit.marked_ready').length, 1);
    assert.ok(!readFileSync(file, 'utf8').includes(SENTINEL.name), 'the audit log holds no patient name');
  });
});

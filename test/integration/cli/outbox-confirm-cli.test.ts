import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, test } from 'vitest';
import { openScribe } from '../../../main/compose.js';
import { createPassphraseKeyProvider } from '../../../main/store/passphrase-key-provider.js';
import type { Deliverer } from '../../../main/writeback/delivery.js';
import type { Note } from '../../../shared/domain/note.js';
import type { OutboxJobSummary } from '../../../shared/domain/outbox.js';
import type { Visit } from '../../../shared/domain/visit.js';
import { CLI_MISSING, cliBuilt, scribe as runCli } from '../../helpers/cli.js';
import { noteDraft } from '../../helpers/note-draft.js';
import { skipWhen } from '../../helpers/skip.js';
import { tempDir } from '../../helpers/temp-store.js';

const PASSPHRASE = 'outbox confirm cli passphrase';
const clinician = {
  transport: 'cli',
  actor: { id: 'sbx-practitioner-1', role: 'clinician', practitioner: { id: 'sbx-practitioner-1', vouchedBy: 'ehr-sign-in' } },
} as const;
/** An EHR whose answer was lost and that cannot be asked: every send ends as unknown outcome. */
const unknowable: Deliverer = {
  target: 'fhir',
  deliver: () => Promise.resolve({ kind: 'unknown', code: 'outcome_unknown', reason: 'The answer was lost and the EHR cannot be asked.' }),
};

describe('scribe outbox status / confirm for an unknown outcome', skipWhen(cliBuilt ? false : CLI_MISSING), () => {
  const tmp = tempDir('scribe-outbox-confirm-cli-');
  const env = (user: string, role: string) => ({
    SCRIBE_DATA_DIR: tmp.dir,
    SCRIBE_PASSPHRASE: PASSPHRASE,
    SCRIBE_USER: user,
    SCRIBE_ROLE: role,
  });
  let jobId: string;

  beforeAll(async () => {
    assert.equal(runCli(['init'], env('it-cli', 'admin')).status, 0);
    const app = openScribe({
      dataDir: tmp.dir,
      keyProvider: createPassphraseKeyProvider(PASSPHRASE),
      mode: 'open',
      writeback: { route: 'fhir', deliverers: { fhir: unknowable } },
    });
    try {
      const call = async <T>(channel: string, request: unknown) => {
        const result = await app.dispatch(channel, request, clinician);
        assert.ok(result.ok, JSON.stringify(result));
        return result.value as T;
      };
      const visit = await call<Visit>('visit:create', { patientId: 'sbx-patient-1' });
      const note = await call<Note>('note:save', { visitId: visit.id, note: noteDraft(visit.id) });
      jobId = (await call<{ jobId: string }>('visit:sign', { visitId: visit.id, revision: note.revision })).jobId;
      await app.outboxWorker.runOnce();
    } finally {
      app.close();
    }
  });
  afterAll(() => tmp.cleanup());

  test('status shows the held job; confirm needs an answer and a clinician or admin, and is recorded', () => {
    const status = runCli(['outbox', 'status', '--json'], env('dr-cli', 'clinician'));
    assert.equal(status.status, 0, status.stderr);
    assert.equal((JSON.parse(status.stdout) as OutboxJobSummary[]).find((j) => j.id === jobId)?.state, 'unknown_outcome');
    const text = runCli(['outbox', 'status'], env('dr-cli', 'clinician'));
    assert.match(text.stdout, new RegExp(`OUTCOME UNKNOWN: .* scribe outbox confirm ${jobId} --delivered`));

    const noAnswer = runCli(['outbox', 'confirm', jobId], env('dr-cli', 'clinician'));
    assert.equal(noAnswer.status, 1);
    assert.match(noAnswer.stderr, /--delivered or --not-delivered/);
    const asScribe = runCli(['outbox', 'confirm', jobId, '--delivered'], env('sc-cli', 'scribe'));
    assert.equal(asScribe.status, 1);
    assert.match(asScribe.stderr, /Only a clinician or an administrator/);

    const confirmed = runCli(['outbox', 'confirm', jobId, '--delivered', '--json'], env('dr-cli', 'clinician'));
    assert.equal(confirmed.status, 0, confirmed.stderr);
    const job = JSON.parse(confirmed.stdout) as OutboxJobSummary;
    assert.equal(job.state, 'delivered');
    assert.equal(job.receipt?.target === 'fhir' && job.receipt.confirmedBy, 'dr-cli');
    const file = join(tmp.dir, 'audit.jsonl');
    const audit = runCli(['audit', 'export', file], env('it-cli', 'admin'));
    assert.equal(audit.status, 0, audit.stderr);
    assert.ok(readFileSync(file, 'utf8').includes(`"outbox.outcome_confirmed"`), 'the answer is in the audit log');
  });
});

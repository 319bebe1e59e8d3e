import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { chmodSync, mkdirSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, test } from 'vitest';
import type { Logger } from '../../../main/log/logger.js';
import type { DeliveryJob, DeliveryOutcome } from '../../../main/writeback/delivery.js';
import { FileDropDeliverer, dropFileBase } from '../../../main/writeback/file-drop/file-drop-deliverer.js';
import { FileDropSidecar } from '../../../main/writeback/file-drop/sidecar.js';
import { noteSha256 } from '../../../main/writeback/note-integrity.js';
import { FIXTURE_CODES, buildDeliveryJob, buildSignedNotePayload } from '../../helpers/signed-note.js';
import { PDFTOTEXT_MISSING, checkPdfStructure, extractPdfText, pdftotextAvailable } from '../../helpers/pdf-structure.js';
import { SENTINEL, tempDir } from '../../helpers/temp-store.js';
import { skipWhen } from '../../helpers/skip.js';

function memoryLogger(): { logger: Logger; text(): string } {
  const lines: string[] = [];
  const write =
    (level: string) =>
    (event: string, fields: Record<string, unknown> = {}) =>
      lines.push(JSON.stringify({ level, event, ...fields }));
  return { logger: { info: write('info'), warn: write('warn'), error: write('error') }, text: () => lines.join('\n') };
}

/** What an importer watching the folder sees: dot-files and our ledger folder are hidden from it. */
const visible = (dir: string) =>
  readdirSync(dir)
    .filter((n) => !n.startsWith('.'))
    .sort();
const snapshot = (dir: string) => Object.fromEntries(readdirSync(dir).map((n) => [n, statSync(join(dir, n)).mtimeMs]));

describe('file-drop write-back', () => {
  let tmp: ReturnType<typeof tempDir>;
  let folder: string;
  let logs: ReturnType<typeof memoryLogger>;
  let target: FileDropDeliverer;
  const deliver = (job: DeliveryJob): Promise<DeliveryOutcome> => target.deliver(job, new AbortController().signal);

  beforeEach(() => {
    tmp = tempDir('scribe-drop-');
    folder = join(tmp.dir, 'emr-inbox');
    mkdirSync(folder);
    logs = memoryLogger();
    target = new FileDropDeliverer({ config: { folder }, logger: logs.logger });
  });
  afterEach(() => {
    for (const secret of [SENTINEL.name, SENTINEL.mrn, 'metformin'])
      assert.ok(!logs.text().includes(secret), `leaked into logs: ${secret}`);
    tmp.cleanup();
  });

  test('writes the PDF, the exact text and the sidecar, complete and named after the idempotency key', async () => {
    const payload = buildSignedNotePayload({ extraText: 'Tabs\tand (parentheses) and back\\slash; 日本 🩺' });
    const job = buildDeliveryJob(payload);
    const base = dropFileBase(job.idempotencyKey);
    const outcome = await deliver(job);
    assert.deepEqual(outcome, {
      kind: 'delivered',
      receipt: { target: 'file-drop', files: [`${base}.pdf`, `${base}.txt`, `${base}.json`] },
    });
    assert.deepEqual(visible(folder), [`${base}.json`, `${base}.pdf`, `${base}.txt`]);
    assert.ok(!readdirSync(folder).some((n) => n.endsWith('.tmp')), 'no temporary file left');

    const text = readFileSync(join(folder, `${base}.txt`));
    assert.deepEqual(text, Buffer.from(payload.noteText, 'utf8'));

    const sidecar = FileDropSidecar.parse(JSON.parse(readFileSync(join(folder, `${base}.json`), 'utf8')));
    assert.equal(sidecar.idempotencyKey, job.idempotencyKey);
    assert.equal(sidecar.visitId, payload.visitId);
    assert.deepEqual(sidecar.patient, {
      id: payload.patient.id,
      mrn: SENTINEL.mrn,
      name: SENTINEL.name,
      birthDate: SENTINEL.birthDate,
      sex: 'female',
    });
    assert.equal(sidecar.encounterId, payload.encounterId);
    assert.deepEqual(sidecar.practitioner, payload.practitioner);
    assert.equal(sidecar.signedAt, payload.attestation.signedAt);
    assert.equal(sidecar.signedBy, payload.attestation.signedBy);
    assert.equal(sidecar.noteSha256, payload.attestation.noteSha256);
    assert.equal(sidecar.noteSha256, createHash('sha256').update(text).digest('hex'));
    assert.deepEqual(
      sidecar.codes.map((c) => [c.system, c.code, c.display]),
      FIXTURE_CODES.map((c) => ['http://hl7.org/fhir/sid/icd-10-cm', c.code, c.description]),
    );
    assert.deepEqual(sidecar.text, { file: `${base}.txt`, sha256: sidecar.noteSha256, bytes: text.length, encoding: 'utf-8' });

    const pdf = readFileSync(join(folder, `${base}.pdf`));
    assert.equal(sidecar.pdf.sha256, createHash('sha256').update(pdf).digest('hex'));
    assert.equal(sidecar.pdf.bytes, pdf.length);
    assert.equal(checkPdfStructure(pdf).pages, sidecar.pdf.pages);
    assert.equal(sidecar.pdf.exactText, false, 'the CJK and emoji characters have no Helvetica glyph');
  });

  test('the PDF reads as the note', skipWhen(pdftotextAvailable ? false : PDFTOTEXT_MISSING), async () => {
    const payload = buildSignedNotePayload({ extraText: 'Follow up (in two weeks) with naïve café patients.' });
    const job = buildDeliveryJob(payload);
    await deliver(job);
    const text = extractPdfText(readFileSync(join(folder, `${dropFileBase(job.idempotencyKey)}.pdf`)));
    assert.match(text, /HISTORY OF PRESENT ILLNESS/);
    assert.match(text, /Follow up \(in two weeks\) with naïve café patients\./);
    assert.match(text, /Increase metformin to 1000 mg twice daily\./);
    assert.ok(text.includes(SENTINEL.name), 'the header names the patient');
    assert.match(text, /Page 1 of 1/);
  });

  test('a resend finds the complete set, reports delivered and writes nothing', async () => {
    const job = buildDeliveryJob();
    assert.equal((await deliver(job)).kind, 'delivered');
    const before = snapshot(folder);
    await new Promise((resolve) => setTimeout(resolve, 20));
    const again = await new FileDropDeliverer({ config: { folder } }).deliver({ ...job, attempt: 2 }, new AbortController().signal);
    assert.equal(again.kind, 'delivered');
    assert.deepEqual(snapshot(folder), before, 'no file added, replaced or touched');
  });

  test('a crash mid-write (temp files and a half-placed set) is cleaned up and completed by the resend', async () => {
    const job = buildDeliveryJob();
    const base = dropFileBase(job.idempotencyKey);
    // What a crash after renaming the PDF, before the text file and sidecar, leaves behind.
    writeFileSync(join(folder, `.${base}.txt.1a2b3c4d5e6f.tmp`), 'half a note');
    writeFileSync(join(folder, `.${base}.json.1a2b3c4d5e6f.tmp`), '{"trunc');
    writeFileSync(join(folder, `${base}.pdf`), '%PDF-1.4 truncated');
    const unrelated = '.someone-else.pdf.tmp';
    writeFileSync(join(folder, unrelated), 'not ours');

    assert.equal((await deliver(job)).kind, 'delivered');
    assert.deepEqual(
      readdirSync(folder).filter((n) => n.endsWith('.tmp')),
      [unrelated],
      'our leftovers are gone, nobody else’s were touched',
    );
    assert.deepEqual(visible(folder), [`${base}.json`, `${base}.pdf`, `${base}.txt`]);
    checkPdfStructure(readFileSync(join(folder, `${base}.pdf`)));
    const sidecar = FileDropSidecar.parse(JSON.parse(readFileSync(join(folder, `${base}.json`), 'utf8')));
    assert.equal(
      sidecar.pdf.sha256,
      createHash('sha256')
        .update(readFileSync(join(folder, `${base}.pdf`)))
        .digest('hex'),
    );
  });

  test('after the EMR imported (moved away) the files, a resend writes no second copy', async () => {
    const job = buildDeliveryJob();
    await deliver(job);
    for (const name of visible(folder)) rmSync(join(folder, name));
    assert.equal((await deliver(job)).kind, 'delivered');
    assert.deepEqual(visible(folder), []);
  });

  test('a missing folder is unreachable, and nothing is created in its place', async () => {
    const gone = new FileDropDeliverer({ config: { folder: join(tmp.dir, 'unmounted-share') } });
    const outcome = await gone.deliver(buildDeliveryJob(), new AbortController().signal);
    assert.equal(outcome.kind, 'unreachable');
    assert.equal(outcome.kind === 'unreachable' && outcome.code, 'folder_missing');
    assert.deepEqual(readdirSync(tmp.dir), ['emr-inbox']);
  });

  test(
    'a folder this workstation may not write to fails the job for a person to fix',
    skipWhen(process.getuid?.() === 0 ? 'running as root: permissions do not apply' : false),
    async () => {
      chmodSync(folder, 0o500);
      try {
        const outcome = await deliver(buildDeliveryJob());
        assert.equal(outcome.kind, 'failed');
        assert.equal(outcome.kind === 'failed' && outcome.code, 'folder_not_writable');
      } finally {
        chmodSync(folder, 0o700);
      }
    },
  );

  test('a sidecar of another note under the same name is never overwritten', async () => {
    const job = buildDeliveryJob();
    const base = dropFileBase(job.idempotencyKey);
    writeFileSync(join(folder, `${base}.json`), '{"format":"something else"}');
    const outcome = await deliver(job);
    assert.equal(outcome.kind, 'failed');
    assert.equal(outcome.kind === 'failed' && outcome.code, 'name_conflict');
    assert.equal(readFileSync(join(folder, `${base}.json`), 'utf8'), '{"format":"something else"}');
  });

  test('a note whose text no longer matches its signature is not written', async () => {
    const payload = buildSignedNotePayload();
    const outcome = await deliver(buildDeliveryJob({ ...payload, noteText: `${payload.noteText}\nadded later` }));
    assert.equal(outcome.kind === 'failed' && outcome.code, 'note_hash_mismatch');
    assert.deepEqual(readdirSync(folder), []);
  });

  test('a cancelled write leaves nothing behind and is retried', async () => {
    const controller = new AbortController();
    controller.abort();
    const outcome = await target.deliver(buildDeliveryJob(), controller.signal);
    assert.equal(outcome.kind === 'retry' && outcome.code, 'aborted');
    assert.deepEqual(readdirSync(folder), []);
  });

  test('a long note spans several PDF pages and the text file stays exact', async () => {
    const body = Array.from({ length: 150 }, (_, i) => `Plan item ${i + 1}: continue current therapy and review.`).join('\n');
    const base = buildSignedNotePayload();
    const payload = { ...base, noteText: body, attestation: { ...base.attestation, noteSha256: noteSha256(body) } };
    const job = buildDeliveryJob(payload);
    await deliver(job);
    const name = dropFileBase(job.idempotencyKey);
    assert.equal(readFileSync(join(folder, `${name}.txt`), 'utf8'), body);
    const sidecar = FileDropSidecar.parse(JSON.parse(readFileSync(join(folder, `${name}.json`), 'utf8')));
    assert.equal(sidecar.pdf.pages, 4);
    assert.equal(sidecar.pdf.exactText, true);
    assert.equal(checkPdfStructure(readFileSync(join(folder, `${name}.pdf`))).pages, 4);
  });
});

import assert from 'node:assert/strict';
import { describe, test } from 'vitest';
import { Hl7Message } from '@medplum/core';
import { documentNumber, messageControlId } from '../../../../main/writeback/hl7/control-id.js';
import { Hl7TargetConfig } from '../../../../main/writeback/hl7/hl7-config.js';
import { hl7Value } from '../../../../main/writeback/hl7/hl7-read.js';
import { buildMdmT02 } from '../../../../main/writeback/hl7/mdm-t02.js';
import { Hl7BuildError } from '../../../../main/writeback/hl7/hl7-errors.js';
import { readMdmT02 } from '../../../../main/writeback/hl7/mdm-t02-read.js';
import { parseHl7Timestamp } from '../../../../main/writeback/hl7/timestamp.js';
import { noteSha256 } from '../../../../main/writeback/note-integrity.js';
import type { DeliveryJob, SignedNotePayload } from '../../../../main/writeback/delivery.js';
import { FIXTURE_REJECTED_CODE, TRICKY_SENTENCE, buildDeliveryJob, buildSignedNotePayload } from '../../../helpers/signed-note.js';
import { SENTINEL } from '../../../helpers/temp-store.js';

const settings = Hl7TargetConfig.parse({
  host: '127.0.0.1',
  port: 2575,
  receivingApplication: 'EHR_APP',
  receivingFacility: 'NORTH_CLINIC',
  sendingFacility: 'SCRIBE_WS',
  patientIdAuthority: 'SANDBOX_MRN',
  patientIdType: 'PI',
});
const NOW = new Date('2026-11-21T15:04:05.000Z');
const EST = () => -300;

/** The note text with a custom body, hash and all, as the outbox would hand it over. */
function withNoteText(noteText: string): SignedNotePayload {
  const payload = buildSignedNotePayload();
  return { ...payload, noteText, attestation: { ...payload.attestation, noteSha256: noteSha256(noteText) } };
}

/** Build → UTF-8 bytes on the wire → decode → parse, as a receiver sees it. */
function roundTrip(payload: SignedNotePayload) {
  const built = buildMdmT02(buildDeliveryJob(payload), settings, NOW, EST);
  const wire = Buffer.from(built.text, 'utf8');
  const read = readMdmT02(Hl7Message.parse(wire.toString('utf8').replace(/\r$/, '')));
  assert.ok(read.ok, read.ok ? '' : read.problem.text);
  return { built, wire, document: read.document };
}

describe('MDM^T02 builder', () => {
  test('MSH carries our application, the configured receiver, an offset timestamp, the type, a stable control id and UTF-8', () => {
    const job = buildDeliveryJob();
    const { message, controlId } = buildMdmT02(job, settings, NOW, EST);
    const msh = message.header;
    assert.equal(msh.getField(1).toString(), '|');
    assert.equal(msh.getField(2).toString(), '^~\\&');
    assert.equal(hl7Value(msh, 3), 'AMBIENT_SCRIBE');
    assert.equal(hl7Value(msh, 4), 'SCRIBE_WS');
    assert.equal(hl7Value(msh, 5), 'EHR_APP');
    assert.equal(hl7Value(msh, 6), 'NORTH_CLINIC');
    assert.equal(hl7Value(msh, 7), '20261121100405-0500');
    assert.equal(parseHl7Timestamp(hl7Value(msh, 7))?.toISOString(), NOW.toISOString());
    assert.equal(msh.getField(9).toString(), 'MDM^T02^MDM_T02');
    assert.equal(hl7Value(msh, 10), messageControlId(job.idempotencyKey));
    assert.ok(controlId.length <= 20);
    assert.equal(hl7Value(msh, 11), 'P');
    assert.equal(hl7Value(msh, 12), '2.5.1');
    assert.equal(hl7Value(msh, 18), 'UNICODE UTF-8');
    assert.deepEqual(
      message.segments.map((s) => s.name).filter((n, i, all) => all.indexOf(n) === i),
      ['MSH', 'EVN', 'PID', 'PV1', 'TXA', 'OBX'],
    );
  });

  test('a resend of the same job carries the same MSH-10 and TXA-12, even built later', () => {
    const job = buildDeliveryJob();
    const first = buildMdmT02(job, settings, NOW, EST);
    const resend: DeliveryJob = { ...job, attempt: 2 };
    const again = buildMdmT02(resend, settings, new Date(NOW.getTime() + 3_600_000), EST);
    assert.equal(again.controlId, first.controlId);
    assert.equal(hl7Value(again.message.getSegment('TXA'), 12), hl7Value(first.message.getSegment('TXA'), 12));
    assert.notEqual(buildMdmT02(buildDeliveryJob(job.payload), settings, NOW, EST).controlId, first.controlId);
  });

  test('patient, visit, document and codes are each in their field', () => {
    const payload = buildSignedNotePayload({ practitionerName: 'Dr. Robin Clinician-Sandbox', signedAt: '2026-11-21T14:00:00.000Z' });
    const job = buildDeliveryJob(payload);
    const { document } = { document: readMdmT02(buildMdmT02(job, settings, NOW, EST).message) };
    assert.ok(document.ok);
    const d = document.document;
    assert.equal(d.eventType, 'T02');
    assert.deepEqual(d.patient.identifiers, [
      { id: SENTINEL.mrn, authority: 'SANDBOX_MRN', type: 'MR' },
      { id: payload.patient.id, authority: 'EHR_APP', type: 'PI' },
    ]);
    assert.equal(d.patient.family, 'Quillfeather-Sentinel');
    assert.equal(d.patient.given, 'Zzyzx');
    assert.equal(d.patient.birthDate, SENTINEL.birthDate);
    assert.equal(d.patient.sex, 'F');
    assert.equal(d.patientClass, 'O');
    assert.equal(d.visitNumber, payload.encounterId);
    const clinician = { id: payload.practitioner.id, family: 'Clinician-Sandbox', given: 'Robin', authority: 'EHR_APP', idType: 'PRN' };
    assert.deepEqual(d.eventOperator, clinician);
    assert.deepEqual(d.attending, clinician);
    assert.deepEqual(d.document.primaryProvider, clinician);
    assert.equal(d.document.type, 'PR');
    assert.equal(d.document.contentPresentation, 'TEXT');
    assert.equal(d.document.activityTime, '20261121090000-0500');
    assert.deepEqual(d.document.originator, clinician);
    assert.deepEqual(d.document.authenticator, clinician);
    assert.deepEqual(d.document.authenticatedBy, clinician);
    assert.equal(d.document.authenticatedAt, '20261121090000-0500');
    assert.equal(d.document.uniqueDocumentNumber, documentNumber(job.idempotencyKey, 'AMBIENT_SCRIBE').id);
    assert.equal(d.document.uniqueDocumentNamespace, 'AMBIENT_SCRIBE');
    assert.equal(d.document.completionStatus, 'LA');
    assert.equal(d.document.availabilityStatus, 'AV');
    assert.equal(d.noteObservation, '11506-3');
    assert.deepEqual(
      d.codes.map((c) => [c.code, c.description, c.system, c.observation]),
      payload.codes.map((c) => [c.code, c.description, 'I10C', '29308-4']),
    );
    assert.ok(!d.codes.some((c) => c.code === FIXTURE_REJECTED_CODE.code), 'a rejected code is never sent');
  });

  test('one TX OBX per line of the note, set ids in order, then the codes', () => {
    const payload = buildSignedNotePayload();
    const { message } = buildMdmT02(buildDeliveryJob(payload), settings, NOW, EST);
    const obx = message.getAllSegments('OBX');
    const lines = payload.noteText.split('\n');
    assert.equal(obx.length, lines.length + payload.codes.length);
    obx.forEach((segment, i) => assert.equal(hl7Value(segment, 1), String(i + 1)));
    assert.ok(obx.slice(0, lines.length).every((s) => hl7Value(s, 2) === 'TX' && hl7Value(s, 11) === 'F'));
    assert.ok(obx.slice(lines.length).every((s) => hl7Value(s, 2) === 'CWE'));
  });

  test('the note text is byte-identical after escaping, the wire and unescaping', () => {
    const nasty = [
      'HPI',
      TRICKY_SENTENCE,
      'Every delimiter: | ^ ~ \\ & and doubled || ^^ ~~ \\\\ &&',
      'Typed escapes: \\F\\ \\S\\ \\T\\ \\R\\ \\E\\ \\X0D\\ \\.br\\ \\H\\ \\N\\',
      '\tTabbed\tcolumns\t',
      '',
      '',
      'Windows line end follows\r',
      '   leading and trailing spaces   ',
      'Unicode: café Ærø 日本語 Ελληνικά עברית 🩺👩🏽‍⚕️ \u2028 \ufeff',
      'Control bytes: \x0b \x1c \x00 \x7f',
      '',
    ].join('\n');
    for (const text of [nasty, '', '\n', 'single line', '\n\nleading empty lines']) {
      const { document, wire } = roundTrip(withNoteText(text));
      assert.deepEqual(Buffer.from(document.noteText, 'utf8'), Buffer.from(text, 'utf8'), JSON.stringify(text));
      assert.ok(!wire.includes(0x0b) && !wire.includes(0x1c) && !wire.includes(0x0a), 'no framing byte or raw LF on the wire');
    }
  });

  test('names, ids and codes with delimiters are escaped too', () => {
    const payload = buildSignedNotePayload({
      practitionerName: 'Robin O^Neil|Smith',
      codes: [{ code: 'I10', description: 'Hypertension | essential ^ primary & more' }],
    });
    const patient = { ...payload.patient, id: 'pat|1^x', displayName: 'Mary~Ann D\\Souza&Co' };
    const { document } = roundTrip({ ...payload, patient });
    assert.equal(document.patient.identifiers[1]?.id, 'pat|1^x');
    assert.equal(document.patient.family, 'D\\Souza&Co');
    assert.equal(document.patient.given, 'Mary~Ann');
    assert.equal(document.document.originator.family, 'O^Neil|Smith');
    assert.equal(document.codes[0]?.description, 'Hypertension | essential ^ primary & more');
  });

  test('a note without an encounter, birth date or sex leaves those fields empty', () => {
    const payload = buildSignedNotePayload({ encounterId: null });
    const { document } = roundTrip({ ...payload, patient: { id: payload.patient.id } });
    assert.equal(document.visitNumber, '');
    assert.equal(document.patient.birthDate, '');
    assert.equal(document.patient.sex, '');
    assert.equal(document.patient.identifiers.length, 1);
  });

  test('text that cannot be UTF-8 is refused with a message that quotes nothing', () => {
    const payload = withNoteText(`${SENTINEL.name} \ud800 broken`);
    assert.throws(
      () => buildMdmT02(buildDeliveryJob(payload), settings, NOW, EST),
      (error: unknown) =>
        error instanceof Hl7BuildError && error.reason === 'hl7.note_text_not_encodable' && !error.message.includes(SENTINEL.name),
    );
  });
});

import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { describe, test } from 'vitest';
import { fileURLToPath } from 'node:url';
import { buildAck, parseAck } from '../../../../main/writeback/hl7/ack.js';
import { Hl7TargetConfig } from '../../../../main/writeback/hl7/hl7-config.js';
import { toOutcome } from '../../../../main/writeback/hl7/hl7-deliverer.js';
import { parseHl7 } from '../../../../main/writeback/hl7/hl7-read.js';
import { buildMdmT02 } from '../../../../main/writeback/hl7/mdm-t02.js';
import { buildDeliveryJob } from '../../../helpers/signed-note.js';
import { skipWhen } from '../../../helpers/skip.js';

const NATUS_ACK = fileURLToPath(
  new URL('../../../../../shared/interop-samples/hl7v2/cdcgov-trusted-intermediary/001_Natus_ACK.hl7', import.meta.url),
);
const settings = Hl7TargetConfig.parse({
  host: 'h',
  port: 1,
  receivingApplication: 'EHR',
  receivingFacility: 'F',
  patientIdAuthority: 'MRN',
});

describe('ACK parsing', () => {
  test(
    'reads a real-world AA (CDC Trusted Intermediary sample)',
    skipWhen(existsSync(NATUS_ACK) ? false : 'interop sample not present'),
    () => {
      const parsed = parseAck(readFileSync(NATUS_ACK, 'utf8'));
      assert.ok(parsed.ok);
      assert.equal(parsed.ack.code, 'AA');
      assert.equal(parsed.ack.acknowledgedControlId, '0A173B79-D7AC-444F-99E7-C96B4A68B188');
      assert.equal(parsed.ack.ackControlId, 'A0A173B79-D7AC-444F-99E7-C96B4A68B188');
    },
  );

  test('takes the reason from ERR-8, then ERR-3 text, then MSA-3, unescaped', () => {
    const err8 =
      'MSH|^~\\&|EHR|F|AMBIENT_SCRIBE||20261121||ACK^T02^ACK|K1|P|2.5.1\rMSA|AE|C1|ignored\rERR|||207^Application internal error^HL70357|E||||Database \\T\\ index busy\r';
    assert.deepEqual(parseAck(err8), {
      ok: true,
      ack: { code: 'AE', acknowledgedControlId: 'C1', ackControlId: 'K1', text: 'Database & index busy', errorCodes: ['207'] },
    });
    const err3 = 'MSH|^~\\&|EHR|F|||20261121||ACK|K2|P|2.5.1\rMSA|AR|C2\rERR|||204^Unknown patient^HL70357|E\r';
    assert.equal(parseAck(err3).ok && (parseAck(err3) as { ack: { text: string } }).ack.text, 'Unknown patient');
    const msa3 = 'MSH|^~\\&|EHR|F|||20261121||ACK|K3|P|2.3\nMSA|CR|C3|Patient not found\n';
    const parsed = parseAck(msa3);
    assert.ok(parsed.ok);
    assert.equal(parsed.ack.code, 'CR');
    assert.equal(parsed.ack.text, 'Patient not found');
  });

  test('reads a v2.4 style ERR-1 error code and text', () => {
    const parsed = parseAck('MSH|^~\\&|EHR|F|||20261121||ACK|K4|P|2.4\rMSA|AE|C4\rERR|PID^1^3^101&Required field missing\r');
    assert.ok(parsed.ok);
    assert.equal(parsed.ack.text, 'Required field missing');
    assert.deepEqual(parsed.ack.errorCodes, ['101']);
  });

  const malformed: [string, string][] = [
    ['garbage', 'THIS IS NOT HL7'],
    ['no MSA', 'MSH|^~\\&|EHR|F|||20261121||ACK|K|P|2.5.1\r'],
    ['an unknown MSA-1', 'MSH|^~\\&|EHR|F|||20261121||ACK|K|P|2.5.1\rMSA|OK|C1\r'],
    ['an empty MSA-2', 'MSH|^~\\&|EHR|F|||20261121||ACK|K|P|2.5.1\rMSA|AA|\r'],
    ['an empty frame', ''],
  ];
  for (const [name, frame] of malformed) {
    test(`an ACK with ${name} is malformed, and the problem quotes nothing of it`, () => {
      const parsed = parseAck(frame);
      assert.equal(parsed.ok, false);
      if (!parsed.ok) assert.ok(!parsed.problem.includes('K|P') && !parsed.problem.includes('THIS IS'));
    });
  }
});

describe('ACK building', () => {
  test('answers an MDM^T02 with MSA-2 = its MSH-10, swapped applications and an escaped error text', () => {
    const built = buildMdmT02(buildDeliveryJob(), settings, new Date());
    const text = buildAck({
      to: built.message,
      code: 'AR',
      application: 'SANDBOX_EHR',
      facility: 'SANDBOX',
      ackControlId: 'ACK123',
      now: new Date(),
      error: { hl7ErrorCode: '204', text: 'No patient | id ^ found' },
    });
    const ack = parseHl7(text);
    assert.equal(ack.header.getField(3).toString(), 'SANDBOX_EHR');
    assert.equal(ack.header.getField(5).toString(), 'AMBIENT_SCRIBE');
    assert.equal(ack.header.getField(6).toString(), '');
    assert.equal(ack.header.getField(9).toString(), 'ACK^T02^ACK');
    const parsed = parseAck(text);
    assert.ok(parsed.ok);
    assert.deepEqual(parsed.ack, {
      code: 'AR',
      acknowledgedControlId: built.controlId,
      ackControlId: 'ACK123',
      text: 'No patient | id ^ found',
      errorCodes: ['204'],
    });
  });
});

describe('what an ACK does to the job', () => {
  const answer = (code: 'AE' | 'AR', errorCode: string) => {
    const parsed = parseAck(`MSH|^~\\&|EHR|F|||20261121||ACK|K|P|2.5.1\rMSA|${code}|C1\rERR|||${errorCode}^x^HL70357|E||||said\r`);
    assert.ok(parsed.ok);
    return toOutcome(parsed, 'C1');
  };

  test('AE for a transient receiver problem is retried; AE naming an error in the message itself fails, as AR does', () => {
    assert.deepEqual([answer('AE', '207').kind, answer('AE', '206').kind], ['retry', 'retry']);
    for (const code of ['101', '103', '204']) {
      const outcome = answer('AE', code);
      assert.equal(outcome.kind === 'failed' && outcome.code, 'hl7_ae', code);
      assert.match(outcome.kind === 'failed' ? outcome.reason : '', /\(AE\): said/);
    }
    assert.equal(answer('AR', '207').kind, 'failed');
  });
});

import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { test } from 'vitest';
import { createJsonLineLogger, teeLogger } from '../../../main/log/logger.js';
import { createRotatingFileLogger } from '../../../main/log/rotating-file.js';
import { SENTINEL, tempDir } from '../../helpers/temp-store.js';

const VISIT_ID = '0b9d3c5e-8f1a-4e2b-b7c6-1d2e3f4a5b6c';
const NOTE_TEXT = 'Subjective: Zzyzx reports three days of productive cough and fever; lives alone at 42 Wallaby Way.';
const PHI = [
  SENTINEL.name,
  'Zzyzx',
  'Quillfeather',
  SENTINEL.mrn,
  '77341',
  SENTINEL.birthDate,
  '02/28/1931',
  SENTINEL.patientId,
  'productive cough',
  'Wallaby',
  'zzyzx@example.org',
  '555-867-5309',
  '078-05-1120',
];

/** Every way a careless call could try to log patient data. */
function carelessCalls(logger: ReturnType<typeof createRotatingFileLogger>) {
  for (let i = 0; i < 60; i += 1) {
    logger.info('visit.created', {
      visitId: VISIT_ID,
      patientName: SENTINEL.name,
      mrn: SENTINEL.mrn,
      birthDate: SENTINEL.birthDate,
      ms: i,
    });
    logger.warn('api.bad_request', { channel: 'visit:create', transport: 'web', fields: 'patient.displayName', value: SENTINEL.name });
    logger.error('api.error', {
      channel: 'note:save',
      code: 'internal',
      type: 'Error',
      message: `could not save note for ${SENTINEL.name}: ${NOTE_TEXT}`,
    });
    logger.info('note.drafted', { visitId: VISIT_ID, note: NOTE_TEXT, text: NOTE_TEXT, summary: NOTE_TEXT });
    logger.info('visit.viewed', {
      state: SENTINEL.name,
      reason: SENTINEL.mrn,
      code: SENTINEL.birthDate,
      kind: '02/28/1931',
      patientId: SENTINEL.patientId,
    });
    logger.info('contact.lookup', { email: 'zzyzx@example.org', phone: '555-867-5309', ssn: '078-05-1120', outcome: 'zzyzx@example.org' });
    logger.info(`patient ${SENTINEL.name} ${SENTINEL.mrn}`, { visitId: VISIT_ID });
    logger.info('weird.keys', { [SENTINEL.name]: 1, [SENTINEL.mrn]: true });
  }
}

test('patient names, MRNs, dates of birth and note text never reach the log files, across rotation', () => {
  const tmp = tempDir('scribe-phi-log-');
  try {
    const dir = join(tmp.dir, 'logs');
    const logger = createRotatingFileLogger({ dir, fileName: 'main.log', maxBytes: 8 * 1024, maxFiles: 5 });
    carelessCalls(logger);
    logger.close();
    const files = readdirSync(dir).sort();
    assert.deepEqual(files, ['main.log', 'main.log.1', 'main.log.2', 'main.log.3', 'main.log.4'], 'rotated and capped at five files');
    const written = files.map((f) => readFileSync(join(dir, f), 'utf8')).join('');
    for (const phi of PHI) assert.ok(!written.toLowerCase().includes(phi.toLowerCase()), `found ${phi} in the logs`);
    // Not vacuous: the operational facts are there, and every line is one JSON record.
    assert.ok(written.includes(VISIT_ID));
    assert.ok(written.includes('"event":"api.error","channel":"note:save","code":"internal","type":"Error","message":"[redacted]"'));
    assert.ok(written.includes('"event":"invalid_event"'));
    for (const line of written.trim().split('\n')) assert.doesNotThrow(() => JSON.parse(line));
  } finally {
    tmp.cleanup();
  }
});

test('the stream logger redacts the same way and keeps the field order callers rely on', () => {
  const sink = new PassThrough();
  let out = '';
  sink.on('data', (chunk: Buffer) => (out += chunk.toString()));
  const logger = teeLogger(createJsonLineLogger(sink, () => new Date('2026-11-21T09:30:00.000Z')));
  logger.error('api.error', { channel: 'visit:list', transport: 'web', code: 'internal', type: 'Error', detail: SENTINEL.name });
  assert.equal(
    out,
    '{"at":"2026-11-21T09:30:00.000Z","level":"error","event":"api.error","channel":"visit:list","transport":"web","code":"internal","type":"Error","detail":"[redacted]"}\n',
  );
});

import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createServer, connect as netConnect } from 'node:net';
import type { AddressInfo, Server, Socket } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, test } from 'vitest';
import { setTimeout as delay } from 'node:timers/promises';
import type { Logger } from '../../../main/log/logger.js';
import type { DeliveryJob, DeliveryOutcome } from '../../../main/writeback/delivery.js';
import type { ParsedAck } from '../../../main/writeback/hl7/ack.js';
import { buildAck, parseAck } from '../../../main/writeback/hl7/ack.js';
import { documentNumber, messageControlId } from '../../../main/writeback/hl7/control-id.js';
import { Hl7Deliverer } from '../../../main/writeback/hl7/hl7-deliverer.js';
import type { Hl7TargetConfigInput } from '../../../main/writeback/hl7/hl7-config.js';
import { Hl7TargetConfig } from '../../../main/writeback/hl7/hl7-config.js';
import { parseHl7 } from '../../../main/writeback/hl7/hl7-read.js';
import { buildMdmT02 } from '../../../main/writeback/hl7/mdm-t02.js';
import { MllpClient } from '../../../main/writeback/hl7/mllp-client.js';
import { MllpDecoder, encodeMllpFrame } from '../../../main/writeback/hl7/mllp-frame.js';
import type { MllpListener } from '../../../main/writeback/hl7/mllp-listener.js';
import { startMllpListener } from '../../../main/writeback/hl7/mllp-listener.js';
import { FIXTURE_CODES, FIXTURE_REJECTED_CODE, buildDeliveryJob, buildSignedNotePayload } from '../../helpers/signed-note.js';
import { SENTINEL } from '../../helpers/temp-store.js';
import { OPENSSL_MISSING, makeTestPki, opensslAvailable } from '../../helpers/test-certs.js';
import { skipWhen } from '../../helpers/skip.js';

const AWKWARD_TEXT = 'Typed: \\F\\ \\E\\ | ^ ~ & \\ end\ttab  \r\nsecond part 日本 🩺 "quoted"';

/** Collects log lines so tests can assert PHI never reaches them. */
function memoryLogger(): { logger: Logger; text(): string } {
  const lines: string[] = [];
  const write =
    (level: string) =>
    (event: string, fields: Record<string, unknown> = {}) =>
      lines.push(JSON.stringify({ level, event, ...fields }));
  return { logger: { info: write('info'), warn: write('warn'), error: write('error') }, text: () => lines.join('\n') };
}

const logs = memoryLogger();
const outcomes: DeliveryOutcome[] = [];

function deliverer(port: number, overrides: Partial<Hl7TargetConfigInput> = {}): Hl7Deliverer {
  return new Hl7Deliverer({
    config: {
      host: '127.0.0.1',
      port,
      receivingApplication: 'SANDBOX_EHR',
      receivingFacility: 'SANDBOX',
      sendingFacility: 'SCRIBE_TEST',
      patientIdAuthority: 'SANDBOX_MRN',
      patientIdType: 'PI',
      connectTimeoutMs: 2_000,
      ackTimeoutMs: 2_000,
      ...overrides,
    },
    logger: logs.logger,
  });
}

async function send(target: Hl7Deliverer, job: DeliveryJob): Promise<DeliveryOutcome> {
  const outcome = await target.deliver(job, new AbortController().signal);
  outcomes.push(outcome);
  return outcome;
}

function storedCopies(listener: MllpListener, job: DeliveryJob): number {
  return listener.received().filter((m) => m.controlId === messageControlId(job.idempotencyKey)).length;
}

async function freePort(): Promise<number> {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** Writes raw bytes to a listener and collects the ACK frames that come back. */
async function rawExchange(port: number, chunks: readonly Buffer[], expectAcks: number, gapMs = 0): Promise<ParsedAck[]> {
  const socket = netConnect({ host: '127.0.0.1', port });
  await once(socket, 'connect');
  socket.setNoDelay(true);
  const decoder = new MllpDecoder({ maxFrameBytes: 1 << 20 });
  const acks: ParsedAck[] = [];
  const done = new Promise<void>((resolve, reject) => {
    socket.on('data', (chunk: Buffer) => {
      for (const frame of decoder.push(chunk)) {
        const parsed = parseAck(frame.toString('utf8'));
        if (!parsed.ok) reject(new Error(`listener sent a malformed ACK: ${parsed.problem}`));
        else acks.push(parsed.ack);
        if (acks.length === expectAcks) resolve();
      }
    });
  });
  for (const chunk of chunks) {
    socket.write(chunk);
    if (gapMs > 0) await delay(gapMs);
  }
  const deadline = new AbortController();
  try {
    await Promise.race([
      done,
      delay(5_000, undefined, { signal: deadline.signal }).then(() =>
        Promise.reject(new Error(`expected ${expectAcks} ACKs, got ${acks.length}`)),
      ),
    ]);
  } finally {
    deadline.abort();
    socket.destroy();
  }
  return acks;
}

describe('HL7 v2 write-back to the sandbox MLLP listener', () => {
  let listener: MllpListener;
  beforeAll(async () => {
    listener = await startMllpListener({ host: '127.0.0.1', port: 0 });
  });
  afterEach(() => listener.setFaults({}));
  afterAll(async () => {
    await listener.close();
    // Nothing a patient said, nor who they are, reaches a log line or a reason we wrote.
    const seen = `${logs.text()}\n${JSON.stringify(outcomes)}`;
    for (const secret of [SENTINEL.name, SENTINEL.mrn, 'Quillfeather', 'metformin', '日本'])
      assert.ok(!seen.includes(secret), `leaked: ${secret}`);
  });

  test('delivers an MDM^T02 that reads back with every field in place and the note byte-identical', async () => {
    const payload = buildSignedNotePayload({ extraText: AWKWARD_TEXT, practitionerName: 'Dr. Robin Clinician-Sandbox' });
    const job = buildDeliveryJob(payload);
    const target = deliverer(listener.port);
    try {
      const outcome = await send(target, job);
      assert.equal(outcome.kind, 'delivered');
      assert.ok(outcome.kind === 'delivered' && outcome.receipt.target === 'hl7v2');
      assert.equal(outcome.receipt.ackCode, 'AA');
      assert.equal(outcome.receipt.messageControlId, messageControlId(job.idempotencyKey));
      assert.match(outcome.receipt.ackControlId ?? '', /^[0-9A-F]{16}$/);
    } finally {
      target.close();
    }
    const stored = listener.received().filter((m) => m.controlId === messageControlId(job.idempotencyKey));
    assert.equal(stored.length, 1);
    const doc = stored[0]!.document;
    assert.deepEqual(Buffer.from(doc.noteText, 'utf8'), Buffer.from(payload.noteText, 'utf8'));
    assert.ok(doc.noteText.includes(AWKWARD_TEXT));
    assert.equal(doc.messageType, 'MDM^T02^MDM_T02');
    assert.equal(doc.version, '2.5.1');
    assert.equal(doc.charset, 'UNICODE UTF-8');
    assert.equal(doc.processingId, 'P');
    assert.equal(doc.sendingApplication, 'AMBIENT_SCRIBE');
    assert.equal(doc.sendingFacility, 'SCRIBE_TEST');
    assert.equal(doc.receivingApplication, 'SANDBOX_EHR');
    assert.equal(doc.receivingFacility, 'SANDBOX');
    assert.match(doc.messageTime, /^\d{14}[+-]\d{4}$/);
    assert.deepEqual(doc.patient.identifiers, [
      { id: SENTINEL.mrn, authority: 'SANDBOX_MRN', type: 'MR' },
      { id: payload.patient.id, authority: 'SANDBOX_EHR', type: 'PI' },
    ]);
    assert.deepEqual(
      [doc.patient.family, doc.patient.given, doc.patient.birthDate, doc.patient.sex],
      ['Quillfeather-Sentinel', 'Zzyzx', SENTINEL.birthDate, 'F'],
    );
    assert.equal(doc.visitNumber, payload.encounterId);
    const clinician = { id: payload.practitioner.id, family: 'Clinician-Sandbox', given: 'Robin', authority: 'SANDBOX_EHR', idType: 'PRN' };
    assert.deepEqual(
      [doc.attending, doc.document.originator, doc.document.authenticator, doc.document.authenticatedBy],
      [clinician, clinician, clinician, clinician],
    );
    assert.equal(doc.document.type, 'PR');
    assert.equal(doc.document.uniqueDocumentNumber, documentNumber(job.idempotencyKey, 'AMBIENT_SCRIBE').id);
    assert.equal(doc.document.completionStatus, 'LA');
    assert.equal(doc.document.availabilityStatus, 'AV');
    assert.match(doc.document.authenticatedAt, /^\d{14}[+-]\d{4}$/);
    assert.deepEqual(
      doc.codes.map((c) => `${c.code}|${c.description}|${c.system}`),
      FIXTURE_CODES.map((c) => `${c.code}|${c.description}|I10C`),
    );
    assert.ok(!doc.codes.some((c) => c.code === FIXTURE_REJECTED_CODE.code));
  });

  test('a resend with the same MSH-10, even from a restarted app, stores no second document', async () => {
    const job = buildDeliveryJob();
    const duplicatesBefore = listener.stats().duplicates;
    const first = deliverer(listener.port);
    const afterRestart = deliverer(listener.port);
    try {
      const a = await send(first, job);
      const b = await send(afterRestart, { ...job, attempt: 2 });
      assert.equal(a.kind, 'delivered');
      assert.equal(b.kind, 'delivered');
      assert.ok(a.kind === 'delivered' && b.kind === 'delivered' && a.receipt.target === 'hl7v2' && b.receipt.target === 'hl7v2');
      assert.equal(b.receipt.messageControlId, a.receipt.messageControlId);
    } finally {
      first.close();
      afterRestart.close();
    }
    assert.equal(storedCopies(listener, job), 1);
    assert.equal(listener.stats().duplicates, duplicatesBefore + 1);
  });

  test('AE is retried and stores nothing; the resend is delivered once', async () => {
    const job = buildDeliveryJob();
    const target = deliverer(listener.port);
    try {
      listener.setFaults({ applicationError: 1 });
      const outcome = await send(target, job);
      assert.equal(outcome.kind, 'retry');
      assert.equal(outcome.kind === 'retry' && outcome.code, 'hl7_ae');
      assert.match(outcome.kind === 'retry' ? outcome.reason : '', /temporary application error/);
      assert.equal(storedCopies(listener, job), 0);
      listener.setFaults({});
      assert.equal((await send(target, job)).kind, 'delivered');
      assert.equal(storedCopies(listener, job), 1);
    } finally {
      target.close();
    }
  });

  test("AR fails the job with the receiver's reason", async () => {
    const job = buildDeliveryJob();
    const target = deliverer(listener.port);
    try {
      listener.setFaults({ reject: 1 });
      const outcome = await send(target, job);
      assert.equal(outcome.kind, 'failed');
      assert.ok(outcome.kind === 'failed');
      assert.equal(outcome.code, 'hl7_ar');
      assert.match(outcome.reason, /rejected the note \(AR\): Sandbox fault injection: message rejected\./);
      assert.equal(storedCopies(listener, job), 0);
    } finally {
      target.close();
    }
  });

  test('a malformed ACK is retried with a clear code, and the resend does not duplicate the stored note', async () => {
    const job = buildDeliveryJob();
    const target = deliverer(listener.port);
    try {
      listener.setFaults({ malformedAck: 1 });
      const outcome = await send(target, job);
      assert.equal(outcome.kind, 'retry');
      assert.ok(outcome.kind === 'retry');
      assert.equal(outcome.code, 'malformed_ack');
      assert.match(outcome.reason, /could not be read \(no MSA segment\)/);
      assert.equal(storedCopies(listener, job), 1);
      listener.setFaults({});
      assert.equal((await send(target, job)).kind, 'delivered');
      assert.equal(storedCopies(listener, job), 1);
    } finally {
      target.close();
    }
  });

  test('a slow ACK times out and is retried; the resend is delivered once', async () => {
    const job = buildDeliveryJob();
    const target = deliverer(listener.port, { ackTimeoutMs: 300 });
    try {
      listener.setFaults({ slowAckMs: 1_500 });
      const started = Date.now();
      const outcome = await send(target, job);
      assert.ok(Date.now() - started < 1_200, 'the ACK timeout, not the slow ACK, ended the wait');
      assert.equal(outcome.kind, 'retry');
      assert.equal(outcome.kind === 'retry' && outcome.code, 'ack_timeout');
      listener.setFaults({});
      assert.equal((await send(target, job)).kind, 'delivered');
      assert.equal(storedCopies(listener, job), 1);
    } finally {
      target.close();
    }
  });

  test('a connection dropped after the receiver stored the note is retried, and the resend is not a second document', async () => {
    const job = buildDeliveryJob();
    const target = deliverer(listener.port);
    try {
      listener.setFaults({ dropAfterStore: 1 });
      const outcome = await send(target, job);
      assert.equal(outcome.kind, 'retry');
      assert.equal(outcome.kind === 'retry' && outcome.code, 'connection_lost');
      assert.equal(storedCopies(listener, job), 1);
      listener.setFaults({});
      assert.equal((await send(target, job)).kind, 'delivered');
      assert.equal(storedCopies(listener, job), 1);
    } finally {
      target.close();
    }
  });

  test('a connection dropped before storing is retried and stores nothing', async () => {
    const job = buildDeliveryJob();
    const target = deliverer(listener.port);
    try {
      listener.setFaults({ dropBeforeStore: 1 });
      const outcome = await send(target, job);
      assert.equal(outcome.kind, 'retry');
      assert.equal(storedCopies(listener, job), 0);
    } finally {
      target.close();
    }
  });

  test('a receiver that refuses connections is unreachable', async () => {
    const target = deliverer(await freePort());
    try {
      const outcome = await send(target, buildDeliveryJob());
      assert.equal(outcome.kind, 'unreachable');
      assert.equal(outcome.kind === 'unreachable' && outcome.code, 'connect_refused');
    } finally {
      target.close();
    }
  });

  test('a note whose text no longer matches its signature is not sent', async () => {
    const payload = buildSignedNotePayload();
    const framesBefore = listener.stats().frames;
    const target = deliverer(listener.port);
    try {
      const outcome = await send(target, buildDeliveryJob({ ...payload, noteText: `${payload.noteText} (edited after signing)` }));
      assert.equal(outcome.kind, 'failed');
      assert.equal(outcome.kind === 'failed' && outcome.code, 'note_hash_mismatch');
      assert.equal(listener.stats().frames, framesBefore);
    } finally {
      target.close();
    }
  });

  test('two frames coalesced into one TCP write are both stored and both acknowledged by MSA-2', async () => {
    const settings = Hl7TargetConfig.parse({
      host: 'x',
      port: 1,
      receivingApplication: 'SANDBOX_EHR',
      receivingFacility: 'SANDBOX',
      patientIdAuthority: 'SANDBOX_MRN',
    });
    const one = buildMdmT02(buildDeliveryJob(), settings, new Date());
    const two = buildMdmT02(buildDeliveryJob(), settings, new Date());
    const acks = await rawExchange(listener.port, [Buffer.concat([encodeMllpFrame(one.text), encodeMllpFrame(two.text)])], 2);
    assert.deepEqual(
      acks.map((a) => [a.code, a.acknowledgedControlId]),
      [
        ['AA', one.controlId],
        ['AA', two.controlId],
      ],
    );
    assert.equal(listener.received().filter((m) => m.controlId === one.controlId || m.controlId === two.controlId).length, 2);
  });

  test('a frame split into small pieces, cut between FS and CR, after garbage, is stored once', async () => {
    const settings = Hl7TargetConfig.parse({
      host: 'x',
      port: 1,
      receivingApplication: 'SANDBOX_EHR',
      receivingFacility: 'SANDBOX',
      patientIdAuthority: 'SANDBOX_MRN',
    });
    const built = buildMdmT02(buildDeliveryJob(), settings, new Date());
    const frame = encodeMllpFrame(built.text);
    const body = frame.subarray(0, frame.length - 1);
    const pieces: Buffer[] = [Buffer.from('\r\nnoise before the frame\r\n')];
    for (let i = 0; i < body.length; i += 97) pieces.push(body.subarray(i, i + 97));
    pieces.push(frame.subarray(frame.length - 1));
    const acks = await rawExchange(listener.port, pieces, 1, 2);
    assert.deepEqual([acks[0]?.code, acks[0]?.acknowledgedControlId], ['AA', built.controlId]);
    assert.equal(listener.received().filter((m) => m.controlId === built.controlId).length, 1);
  });

  test('a message that is not MDM^T02 gets AR and is not stored', async () => {
    const before = listener.received().length;
    const acks = await rawExchange(
      listener.port,
      [encodeMllpFrame('MSH|^~\\&|OTHER||||20261121||ADT^A01^ADT_A01|Q1|P|2.5.1\rPID|1||X\r')],
      1,
    );
    assert.deepEqual([acks[0]?.code, acks[0]?.acknowledgedControlId], ['AR', 'Q1']);
    assert.match(acks[0]?.text ?? '', /Unsupported message type ADT/);
    assert.equal(listener.received().length, before);
  });

  test('a finished delivery does not keep the process alive (a CLI run exits without closing the deliverer)', async () => {
    const script = [
      `import { Hl7Deliverer } from ${JSON.stringify(new URL('../../../main/writeback/hl7/hl7-deliverer.ts', import.meta.url).href)};`,
      `import { buildDeliveryJob } from ${JSON.stringify(new URL('../../helpers/signed-note.ts', import.meta.url).href)};`,
      `const d = new Hl7Deliverer({ config: { host: '127.0.0.1', port: ${listener.port}, receivingApplication: 'A', receivingFacility: 'B', patientIdAuthority: 'C' } });`,
      `const outcome = await d.deliver(buildDeliveryJob(), new AbortController().signal);`,
      `process.stdout.write(outcome.kind);`,
    ].join('\n');
    const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString('utf8')));
    const started = Date.now();
    const exited = once(child, 'exit');
    const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
    const [code] = (await exited) as [number | null];
    clearTimeout(timer);
    assert.equal(out, 'delivered');
    assert.equal(code, 0, 'exited on its own, before the 30 s idle timeout');
    assert.ok(Date.now() - started < 15_000);
  });

  test('the listener refuses to bind anywhere but loopback', async () => {
    await assert.rejects(startMllpListener({ host: '0.0.0.0', port: 0 }), { code: 'bad_request', reason: 'hl7.listener_not_loopback' });
  });
});

/** A receiver whose answers the test scripts, to show what the client does with odd ones. */
async function scriptedReceiver(onMessage: (socket: Socket, message: string) => void): Promise<{ port: number; server: Server }> {
  const server = createServer((socket) => {
    const decoder = new MllpDecoder({ maxFrameBytes: 1 << 20 });
    socket.on('data', (chunk: Buffer) => {
      for (const frame of decoder.push(chunk)) onMessage(socket, frame.toString('utf8'));
    });
    socket.on('error', () => socket.destroy());
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return { port: (server.address() as AddressInfo).port, server };
}

const ackFor = (message: string, code: 'AA' | 'AE' | 'AR', controlId?: string) =>
  buildAck({
    to: controlId ? { controlId } : parseHl7(message),
    code,
    application: 'SCRIPTED',
    ackControlId: 'SCRIPTED1',
    now: new Date(),
    error: code === 'AA' ? undefined : { hl7ErrorCode: '207', text: 'scripted' },
  });

describe('MLLP client against a scripted receiver', () => {
  const servers: Server[] = [];
  afterAll(() => {
    for (const s of servers) s.close();
  });

  test('takes the ACK whose MSA-2 matches, not the first one to arrive', async () => {
    const { port, server } = await scriptedReceiver((socket, message) => {
      socket.write(encodeMllpFrame(ackFor(message, 'AA', 'SOME-OTHER-MESSAGE')));
      socket.write(encodeMllpFrame(ackFor(message, 'AR')));
    });
    servers.push(server);
    const target = deliverer(port);
    try {
      const outcome = await send(target, buildDeliveryJob());
      assert.equal(outcome.kind, 'failed', 'the AA for another message was not taken');
      assert.equal(outcome.kind === 'failed' && outcome.code, 'hl7_ar');
    } finally {
      target.close();
    }
  });

  test('an ACK for another message only never completes a send: it times out', async () => {
    const { port, server } = await scriptedReceiver((socket, message) =>
      socket.write(encodeMllpFrame(ackFor(message, 'AA', 'SOME-OTHER-MESSAGE'))),
    );
    servers.push(server);
    const target = deliverer(port, { ackTimeoutMs: 300 });
    try {
      const outcome = await send(target, buildDeliveryJob());
      assert.equal(outcome.kind === 'retry' && outcome.code, 'ack_timeout');
    } finally {
      target.close();
    }
  });

  test('two messages in flight on one connection each get their own ACK when answered in reverse order', async () => {
    const held: { socket: Socket; message: string }[] = [];
    const { port, server } = await scriptedReceiver((socket, message) => {
      held.push({ socket, message });
      if (held.length === 2) {
        socket.write(encodeMllpFrame(ackFor(held[1]!.message, 'AR')));
        socket.write(encodeMllpFrame(ackFor(held[0]!.message, 'AA')));
      }
    });
    servers.push(server);
    const client = new MllpClient({ host: '127.0.0.1', port, connectTimeoutMs: 2_000, ackTimeoutMs: 2_000, maxAckBytes: 1 << 20 });
    const msg = (id: string) => `MSH|^~\\&|AMBIENT_SCRIBE||||20261121||MDM^T02^MDM_T02|${id}|P|2.5.1\r`;
    try {
      const [first, second] = await Promise.all([client.send(msg('FIRST'), 'FIRST'), client.send(msg('SECOND'), 'SECOND')]);
      assert.deepEqual([first.ok && first.ack.code, second.ok && second.ack.code], ['AA', 'AR']);
      assert.deepEqual([first.ok && first.ack.acknowledgedControlId, second.ok && second.ack.acknowledgedControlId], ['FIRST', 'SECOND']);
    } finally {
      client.close();
    }
  });

  test('an ACK arriving in pieces, cut between FS and CR, is read', async () => {
    const { port, server } = await scriptedReceiver((socket, message) => {
      const frame = encodeMllpFrame(ackFor(message, 'AA'));
      socket.write(frame.subarray(0, 9));
      setTimeout(() => socket.write(frame.subarray(9, frame.length - 1)), 20);
      setTimeout(() => socket.write(frame.subarray(frame.length - 1)), 40);
    });
    servers.push(server);
    const target = deliverer(port);
    try {
      assert.equal((await send(target, buildDeliveryJob())).kind, 'delivered');
    } finally {
      target.close();
    }
  });

  test('an oversized answer is refused and retried', async () => {
    const { port, server } = await scriptedReceiver((socket) => socket.write(encodeMllpFrame(`MSH|^~\\&|BIG|${'X'.repeat(5_000)}`)));
    servers.push(server);
    const target = deliverer(port, { maxAckBytes: 1_024 });
    try {
      const outcome = await send(target, buildDeliveryJob());
      assert.equal(outcome.kind === 'retry' && outcome.code, 'ack_too_large');
    } finally {
      target.close();
    }
  });

  test('a TLS receiver that never completes the handshake ends in a connect timeout', async () => {
    const silent = createServer(() => undefined);
    silent.listen(0, '127.0.0.1');
    await once(silent, 'listening');
    servers.push(silent);
    const target = deliverer((silent.address() as AddressInfo).port, { connectTimeoutMs: 300, tls: {} });
    try {
      const outcome = await send(target, buildDeliveryJob());
      assert.equal(outcome.kind, 'unreachable');
      assert.equal(outcome.kind === 'unreachable' && outcome.code, 'connect_timeout');
    } finally {
      target.close();
    }
  });
});

describe('MLLP over TLS', skipWhen(opensslAvailable ? false : OPENSSL_MISSING), () => {
  let pki: ReturnType<typeof makeTestPki>;
  let listener: MllpListener;
  let mutual: MllpListener;
  beforeAll(async () => {
    pki = makeTestPki();
    listener = await startMllpListener({ host: '127.0.0.1', port: 0, tls: { key: pki.serverKey, cert: pki.serverCert } });
    mutual = await startMllpListener({
      host: '127.0.0.1',
      port: 0,
      tls: { key: pki.serverKey, cert: pki.serverCert, ca: pki.ca, requestCert: true },
    });
  });
  afterAll(async () => {
    await listener?.close();
    await mutual?.close();
  });

  test('delivers to a receiver whose certificate chains to the configured CA', async () => {
    const job = buildDeliveryJob();
    const target = deliverer(listener.port, { tls: { ca: pki.ca } });
    try {
      assert.equal((await send(target, job)).kind, 'delivered');
      assert.equal(storedCopies(listener, job), 1);
    } finally {
      target.close();
    }
  });

  test('refuses a receiver whose certificate the configured CA did not sign', async () => {
    const job = buildDeliveryJob();
    const target = deliverer(listener.port, { tls: { ca: pki.otherCa } });
    try {
      const outcome = await send(target, job);
      assert.equal(outcome.kind, 'unreachable');
      assert.equal(outcome.kind === 'unreachable' && outcome.code, 'tls_error');
      assert.equal(storedCopies(listener, job), 0);
    } finally {
      target.close();
    }
  });

  test('presents a client certificate to a receiver that requires one', async () => {
    const job = buildDeliveryJob();
    const withCert = deliverer(mutual.port, { tls: { ca: pki.ca, cert: pki.clientCert, key: pki.clientKey } });
    const withoutCert = deliverer(mutual.port, { tls: { ca: pki.ca }, ackTimeoutMs: 1_000 });
    try {
      const refused = await send(withoutCert, buildDeliveryJob());
      assert.ok(refused.kind === 'retry' || refused.kind === 'unreachable', refused.kind);
      assert.equal((await send(withCert, job)).kind, 'delivered');
      assert.equal(mutual.received().length, 1);
    } finally {
      withCert.close();
      withoutCert.close();
    }
  });
});

import { randomUUID } from 'node:crypto';
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import type { SignedNotePayload } from '../main/writeback/delivery.js';
import { buildAck } from '../main/writeback/hl7/ack.js';
import { Hl7Deliverer } from '../main/writeback/hl7/hl7-deliverer.js';
import { Hl7TargetConfig } from '../main/writeback/hl7/hl7-config.js';
import { buildMdmT02 } from '../main/writeback/hl7/mdm-t02.js';
import { MllpClient } from '../main/writeback/hl7/mllp-client.js';
import { MllpDecoder, encodeMllpFrame } from '../main/writeback/hl7/mllp-frame.js';
import { startMllpListener } from '../main/writeback/hl7/mllp-listener.js';
import { noteSha256 } from '../main/writeback/note-integrity.js';

const CONFIG = {
  host: '127.0.0.1',
  receivingApplication: 'SANDBOX_EHR',
  receivingFacility: 'SANDBOX',
  patientIdAuthority: 'SANDBOX_MRN',
} as const;

/** A synthetic signed note of typical size (about 2 KiB, 30 lines, 2 codes). */
function syntheticPayload(): SignedNotePayload {
  const visitId = randomUUID();
  const noteText = Array.from(
    { length: 30 },
    (_, i) => `Line ${i + 1}: patient reports symptoms | pain ^ 4/10 & improving; plan unchanged.`,
  ).join('\n');
  const signedAt = new Date().toISOString();
  const code = (c: string, d: string, rank: number) => ({ code: c, description: d, rank, evidence: [], status: 'accepted' as const });
  const codes = [code('E11.65', 'Type 2 diabetes mellitus with hyperglycemia', 1), code('I10', 'Essential (primary) hypertension', 2)];
  return {
    visitId,
    patient: { id: 'bench-patient-1', displayName: 'Bench Patient', mrn: 'BENCH-MRN-1', birthDate: '1970-01-01', sex: 'unknown' },
    encounterId: 'bench-encounter-1',
    practitioner: { id: 'bench-practitioner-1', name: 'Dr. Bench Clinician' },
    note: {
      visitId: visitId as never,
      template: 'soap',
      sections: [],
      codes,
      drafter: { engine: 'offline' },
      revision: 1,
      updatedAt: signedAt,
      updatedBy: 'bench-practitioner-1',
    },
    noteText,
    attestation: { visitId: visitId as never, revision: 1, noteSha256: noteSha256(noteText), signedBy: 'bench-practitioner-1', signedAt },
    codes,
  };
}

/**
 * Signed notes delivered per second over MLLP to the sandbox listener on 127.0.0.1: the whole
 * path (MDM^T02 build and escaping, framing, the listener's parse, validation, dedup and store,
 * ACK build and parse) one note at a time on one connection, and with 8 in flight. The baseline,
 * measured in the same run, is bare MLLP round trips of the same message bytes to a responder
 * that answers a fixed ACK without parsing: the transport's ceiling on this machine.
 */
export async function benchWritebackMllp(notes = 1000) {
  const payload = syntheticPayload();
  const listener = await startMllpListener({ host: '127.0.0.1', port: 0 });
  const signal = new AbortController().signal;
  try {
    const deliverer = new Hl7Deliverer({ config: { ...CONFIG, port: listener.port } });
    const jobs = (n: number) =>
      Array.from({ length: n }, (_, i) => ({ jobId: `bench-${i}`, idempotencyKey: randomUUID(), attempt: 1, payload }));
    try {
      for (const job of jobs(50)) await deliverer.deliver(job, signal); // warm-up: JIT, connection

      const sequentialJobs = jobs(notes);
      let started = performance.now();
      for (const job of sequentialJobs) {
        const outcome = await deliverer.deliver(job, signal);
        if (outcome.kind !== 'delivered') throw new Error(`bench delivery not delivered: ${outcome.kind} ${outcome.code}`);
      }
      const sequentialMs = performance.now() - started;

      const concurrentJobs = jobs(notes);
      const inFlight = 8;
      started = performance.now();
      let next = 0;
      await Promise.all(
        Array.from({ length: inFlight }, async () => {
          while (next < concurrentJobs.length) {
            const outcome = await deliverer.deliver(concurrentJobs[next++]!, signal);
            if (outcome.kind !== 'delivered') throw new Error(`bench delivery not delivered: ${outcome.kind} ${outcome.code}`);
          }
        }),
      );
      const concurrentMs = performance.now() - started;
      if (listener.received().length !== 50 + 2 * notes) throw new Error('bench: the listener did not store every note exactly once');

      const baseline = await rawRoundTrips(notes, payload);
      const sequential = Math.round((notes / sequentialMs) * 1000);
      return {
        notes,
        messageBytes: Buffer.byteLength(
          buildMdmT02({ idempotencyKey: randomUUID(), payload }, Hl7TargetConfig.parse({ ...CONFIG, port: 1 }), new Date()).text,
        ),
        deliveredPerSecond: { sequential, concurrent: Math.round((notes / concurrentMs) * 1000), inFlight },
        baseline: { rawMllpRoundTripsPerSecond: baseline },
        deliveredToBaseline: Number((sequential / baseline).toFixed(3)),
      };
    } finally {
      deliverer.close();
    }
  } finally {
    await listener.close();
  }
}

async function rawRoundTrips(count: number, payload: SignedNotePayload): Promise<number> {
  const ack = encodeMllpFrame(
    buildAck({ to: { controlId: 'BENCH' }, code: 'AA', application: 'RAW', ackControlId: 'RAW1', now: new Date() }),
  );
  const server = createServer((socket) => {
    const decoder = new MllpDecoder({ maxFrameBytes: 1 << 24 });
    socket.on('data', (chunk: Buffer) => {
      const frames = decoder.push(chunk);
      for (let i = 0; i < frames.length; i += 1) socket.write(ack);
    });
    socket.on('error', () => socket.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const client = new MllpClient({
    host: '127.0.0.1',
    port: (server.address() as AddressInfo).port,
    connectTimeoutMs: 5_000,
    ackTimeoutMs: 5_000,
    maxAckBytes: 1 << 20,
  });
  const message = buildMdmT02({ idempotencyKey: randomUUID(), payload }, Hl7TargetConfig.parse({ ...CONFIG, port: 1 }), new Date()).text;
  try {
    for (let i = 0; i < 50; i += 1) await client.send(message, 'BENCH');
    const started = performance.now();
    for (let i = 0; i < count; i += 1) {
      const result = await client.send(message, 'BENCH');
      if (!result.ok) throw new Error(`bench baseline failed: ${result.failure}`);
    }
    return Math.round((count / (performance.now() - started)) * 1000);
  } finally {
    client.close();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}

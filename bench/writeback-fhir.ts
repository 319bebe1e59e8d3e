import { createHash, randomUUID } from 'node:crypto';
import { startSandbox } from '../main/sandbox/sandbox.js';
import { SANDBOX_PATIENTS, SANDBOX_PRACTITIONERS, sandboxEncounterId } from '../main/sandbox/seed.js';
import { generateClientKeyPair } from '../main/fhir/client-key.js';
import { FhirDeliverer } from '../main/writeback/fhir/fhir-deliverer.js';
import { createBackendTokenSource } from '../main/fhir/smart-backend-auth.js';
import type { DeliveryJob } from '../main/writeback/delivery.js';
import { renderNoteText } from '../shared/domain/note-text.js';
import type { Note } from '../shared/domain/note.js';
import type { VisitId } from '../shared/ids.js';

/** A synthetic signed note of realistic size (about 2 KB of text, two accepted codes). */
function job(i: number): DeliveryJob {
  const visitId = randomUUID() as VisitId;
  const signedAt = new Date().toISOString();
  const practitionerId = SANDBOX_PRACTITIONERS[i % SANDBOX_PRACTITIONERS.length]!.id;
  const sentence = (id: string, text: string) => ({
    id,
    text,
    evidence: ['seg-1'],
    support: 'supported' as const,
    origin: 'drafted' as const,
  });
  const codes = [
    {
      code: 'E11.65',
      description: 'Type 2 diabetes mellitus with hyperglycemia',
      rank: 1,
      evidence: ['seg-1'],
      status: 'accepted' as const,
    },
    { code: 'I10', description: 'Essential (primary) hypertension', rank: 2, evidence: ['seg-1'], status: 'accepted' as const },
  ];
  const note: Note = {
    visitId,
    template: 'soap',
    sections: ['hpi', 'exam', 'assessment', 'plan'].map((id, s) => ({
      id: id as Note['sections'][number]['id'],
      title: id.toUpperCase(),
      sentences: Array.from({ length: 6 }, (_, k) =>
        sentence(`s${s}-${k}`, `Synthetic benchmark sentence ${k} of section ${id}, note ${i}, with enough words to be realistic.`),
      ),
    })),
    codes,
    drafter: { engine: 'offline' },
    revision: 1,
    updatedAt: signedAt,
    updatedBy: practitionerId,
  };
  const noteText = renderNoteText(note);
  const patient = SANDBOX_PATIENTS[i % SANDBOX_PATIENTS.length]!;
  return {
    jobId: randomUUID(),
    idempotencyKey: randomUUID(),
    attempt: 1,
    payload: {
      visitId,
      patient: { id: patient.id, displayName: 'Bench Patient-Sandbox' },
      encounterId: sandboxEncounterId(i % SANDBOX_PATIENTS.length),
      practitioner: { id: practitionerId },
      note,
      noteText,
      attestation: {
        visitId,
        revision: 1,
        noteSha256: createHash('sha256').update(noteText).digest('hex'),
        signedBy: practitionerId,
        signedAt,
      },
      codes,
    },
  };
}

const perSecond = (count: number, ms: number) => Math.round((count / ms) * 1000 * 10) / 10;

/**
 * Delivered notes per second to the sandbox EHR over FHIR transactions (one DocumentReference, two
 * Conditions and a Provenance each, validated against US Core before sending and by the sandbox on
 * receipt), one note at a time as the outbox sends. Beside it, in the same run: resending the same
 * notes (every conditional create matches), preparing and validating notes without sending, and an
 * authenticated FHIR read round trip, so the figure can be read against its parts.
 */
export async function benchWritebackFhir(notes = 200) {
  const key = await generateClientKeyPair('ES384');
  const sandbox = await startSandbox({ port: 0, backendClients: [{ clientId: 'bench', jwks: key.publicJwks }] });
  try {
    const config = {
      baseUrl: sandbox.fhirBaseUrl,
      clientId: 'bench',
      privateKey: key.privateKey,
      signingAlg: 'ES384' as const,
      organizationId: 'sbx-clinic',
    };
    const deliverer = new FhirDeliverer({ config });
    const jobs = Array.from({ length: notes }, (_, i) => job(i));
    const signal = () => AbortSignal.timeout(30_000);
    const warm = await deliverer.deliver(job(notes), signal());
    if (warm.kind !== 'delivered') throw new Error(`bench warm-up was not delivered: ${warm.kind} ${warm.code}`);

    let started = performance.now();
    for (const j of jobs) {
      const outcome = await deliverer.deliver(j, signal());
      if (outcome.kind !== 'delivered') throw new Error(`bench delivery failed: ${outcome.kind} ${outcome.code}`);
    }
    const deliverMs = performance.now() - started;

    started = performance.now();
    for (const j of jobs) {
      const outcome = await deliverer.deliver({ ...j, attempt: 2 }, signal());
      if (outcome.kind !== 'delivered') throw new Error(`bench resend failed: ${outcome.kind} ${outcome.code}`);
    }
    const resendMs = performance.now() - started;
    if (sandbox.repository.count('DocumentReference') !== notes + 1) throw new Error('bench resend duplicated documents');

    started = performance.now();
    for (const j of jobs) if (deliverer.prepare(j).problems.length > 0) throw new Error('bench note invalid');
    const prepareMs = performance.now() - started;

    const tokens = createBackendTokenSource({ ...config, scope: 'system/*.read', requestTimeoutMs: 30_000 });
    const token = await tokens.token();
    started = performance.now();
    for (let i = 0; i < notes; i += 1) {
      const response = await fetch(`${sandbox.fhirBaseUrl}/Patient/${SANDBOX_PATIENTS[i % SANDBOX_PATIENTS.length]!.id}`, {
        headers: { authorization: `Bearer ${token}` },
      });
      await response.arrayBuffer();
      if (!response.ok) throw new Error('bench read failed');
    }
    const readMs = performance.now() - started;

    return {
      notes,
      resourcesPerNote: 4,
      deliveredNotesPerSecond: perSecond(notes, deliverMs),
      msPerNote: Math.round((deliverMs / notes) * 100) / 100,
      baselines: {
        resendNotesPerSecond: perSecond(notes, resendMs),
        prepareAndValidateNotesPerSecond: perSecond(notes, prepareMs),
        authenticatedReadsPerSecond: perSecond(notes, readMs),
      },
    };
  } finally {
    await sandbox.close();
  }
}

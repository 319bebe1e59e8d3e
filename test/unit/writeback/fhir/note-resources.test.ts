import assert from 'node:assert/strict';
import { describe, test } from 'vitest';
import type { Condition, DocumentReference, Provenance } from '@medplum/fhirtypes';
import { buildNoteResources, toTransactionBundle } from '../../../../main/writeback/fhir/note-resources.js';
import { buildDeliveryJob, buildSignedNotePayload, FIXTURE_REJECTED_CODE } from '../../../helpers/signed-note.js';
import { SENTINEL } from '../../../helpers/temp-store.js';

const options = { organizationId: 'org-1', softwareName: 'Ambient Scribe', softwareVersion: '0.1.0' };

describe('note resources', () => {
  test('a resend builds the identical bundle (same placeholders, same conditional creates)', () => {
    const job = buildDeliveryJob();
    assert.deepEqual(
      toTransactionBundle(buildNoteResources(job, options)),
      toTransactionBundle(buildNoteResources({ ...job, attempt: 5 }, options)),
    );
    const other = toTransactionBundle(buildNoteResources(buildDeliveryJob(job.payload), options));
    assert.notEqual(other.entry?.[0]?.fullUrl, toTransactionBundle(buildNoteResources(job, options)).entry?.[0]?.fullUrl);
  });

  test('every create is conditional on an identifier derived from the idempotency key', () => {
    const job = buildDeliveryJob(undefined, { idempotencyKey: 'job-key-1' });
    const bundle = toTransactionBundle(buildNoteResources(job, options));
    assert.deepEqual(
      bundle.entry?.map((e) => e.request?.ifNoneExist),
      [
        'identifier=urn:ambient-scribe:note|job-key-1',
        'identifier=urn:ambient-scribe:note-condition|job-key-1:E11.65',
        'identifier=urn:ambient-scribe:note-condition|job-key-1:I10',
        '_tag=urn:ambient-scribe:note-provenance|job-key-1',
      ],
    );
    assert.ok(bundle.entry?.every((e) => e.request?.method === 'POST' && e.fullUrl?.startsWith('urn:uuid:')));
  });

  test('only accepted codes become Conditions, once each', () => {
    const payload = buildSignedNotePayload();
    const doubled = { ...payload, codes: [...payload.codes, payload.codes[0]!] };
    const r = buildNoteResources(buildDeliveryJob(doubled), options);
    const codes = r.conditions.map((c) => (c.resource as Condition).code?.coding?.[0]?.code);
    assert.deepEqual(codes, ['E11.65', 'I10']);
    assert.ok(!codes.includes(FIXTURE_REJECTED_CODE.code));
  });

  test('a note without an encounter has no encounter references', () => {
    const r = buildNoteResources(buildDeliveryJob(buildSignedNotePayload({ encounterId: null })), options);
    assert.equal((r.documentReference.resource as DocumentReference).context, undefined);
    assert.ok(r.conditions.every((c) => (c.resource as Condition).encounter === undefined));
  });

  test('the Provenance targets every resource of the note and names clinician and software', () => {
    const r = buildNoteResources(buildDeliveryJob(), options);
    const prov = r.provenance!.resource as Provenance;
    assert.deepEqual(
      prov.target?.map((t) => t.reference),
      [r.documentReference.fullUrl, ...r.conditions.map((c) => c.fullUrl)],
    );
    assert.deepEqual(
      prov.agent?.map((a) => a.type?.coding?.[0]?.code),
      ['author', 'assembler'],
    );
    assert.ok(prov.agent?.every((a) => a.onBehalfOf?.reference === 'Organization/org-1'));
  });

  test('identifiers and placeholders carry no patient data', () => {
    const bundle = JSON.stringify(
      toTransactionBundle(buildNoteResources(buildDeliveryJob(), options)).entry?.map((e) => [e.fullUrl, e.request]),
    );
    for (const s of [SENTINEL.name, SENTINEL.mrn, SENTINEL.birthDate]) assert.ok(!bundle.includes(s));
  });

  test('a key that a search string cannot carry is refused', () => {
    assert.throws(() => buildNoteResources(buildDeliveryJob(undefined, { idempotencyKey: 'a|b' }), options), /idempotency key/);
  });
});

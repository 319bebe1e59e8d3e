/**
 * What a clinician reads in the outbox, the delivery dialog and the visit lists, rendered from the
 * real components: plain words in front, the EHR's own words (FHIR paths, HTTP statuses, ids) only
 * inside the closed "Details for IT" disclosure, counts that agree with their words, and list rows
 * that tell one patient's visits apart.
 */
import assert from 'node:assert/strict';
import { createElement } from 'react';
import type { FunctionComponent } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { beforeAll, describe, it } from 'vitest';
import type { VisitSummary } from '../../../../shared/api/contract.js';
import { ApiCallError } from '../../../../shared/api/errors.js';
import type { OutboxJobSummary } from '../../../../shared/domain/outbox.js';
import type { VisitId } from '../../../../shared/ids.js';
import { errorText, plainMessage } from '../../../../renderer/src/error-text.js';
import { agree, plural, timeAgo } from '../../../../renderer/src/format.js';
import { signedTitle } from '../../../../renderer/src/outbox-advice.js';

// The components are .tsx, which the Node typecheck (tsconfig.node.json, no JSX) does not read: they are
// loaded at run time by Vitest and typed here by the props these tests give them.
const COMPONENTS = '../../../../renderer/src/components';
type JobDetailProps = {
  job: OutboxJobSummary;
  onRetry: () => void;
  onConfirm: (delivered: boolean) => void;
  busy: boolean;
  mayConfirm: boolean;
};
let JobDetail: FunctionComponent<JobDetailProps>;
let DeliveryProgress: FunctionComponent<{ job: OutboxJobSummary | undefined }>;
let ErrorNotice: FunctionComponent<{ error: unknown }>;
let VisitTable: FunctionComponent<{ visits: readonly VisitSummary[]; labelledBy: string }>;

beforeAll(async () => {
  const load = (name: string) => import(/* @vite-ignore */ `${COMPONENTS}/${name}.tsx`) as Promise<Record<string, unknown>>;
  JobDetail = (await load('OutboxJobDetail'))['JobDetail'] as typeof JobDetail;
  DeliveryProgress = (await load('DeliveryProgress'))['DeliveryProgress'] as typeof DeliveryProgress;
  ErrorNotice = (await load('ErrorNotice'))['ErrorNotice'] as typeof ErrorNotice;
  VisitTable = (await load('VisitTable'))['VisitTable'] as typeof VisitTable;
});

const RAW_FHIR =
  'The EHR refused the transaction Bundle (HTTP 422): Bundle.entry[1].resource.subject: Patient/sbx-patient-9 not found (OperationOutcome)';

const failedJob: OutboxJobSummary = {
  id: '5b0e7c52-6c83-4d0b-9a8e-1f2f4f0a9c11',
  visitId: '0f6b1d2e-1111-4a4a-8b8b-222233334444' as VisitId,
  route: 'fhir',
  target: 'fhir',
  state: 'failed',
  attempts: 1,
  createdAt: '2026-03-02T09:00:00.000Z',
  updatedAt: '2026-03-02T09:01:00.000Z',
  lastErrorCode: 'invalid_resource',
  lastError: RAW_FHIR,
};

/** The markup with every "Details for IT" disclosure cut out: what shows before anyone opens one. */
function outsideDetails(html: string): string {
  return html.replace(/<details class="details-for-it">[\s\S]*?<\/details>/g, '');
}

function insideDetails(html: string): string {
  return [...html.matchAll(/<details class="details-for-it">([\s\S]*?)<\/details>/g)].map((m) => m[1]).join('\n');
}

const text = (html: string) =>
  html
    .replace(/<[^>]+>/g, ' ')
    .replace(/&#x27;|&#39;/g, "'")
    .replace(/&quot;/g, '"')
    .replace(/&amp;/g, '&')
    .replace(/\s+/g, ' ');

describe('plain language in front of clinicians', () => {
  it('an outbox row for a refused note says so in plain words; the EHR’s words are only inside Details for IT', () => {
    const html = renderToStaticMarkup(
      createElement(JobDetail, { job: failedJob, onRetry: () => undefined, onConfirm: () => undefined, busy: false, mayConfirm: true }),
    );
    const shown = text(outsideDetails(html));
    assert.match(shown, /Reason: The EHR refused the note\./);
    assert.match(shown, /What to do:/);
    for (const technical of ['Bundle', 'HTTP 422', 'OperationOutcome', 'Patient/sbx-patient-9', failedJob.id]) {
      assert.ok(!shown.includes(technical), `“${technical}” shows outside the disclosure: ${shown}`);
    }
    assert.match(html, /<details class="details-for-it"><summary>Details for IT<\/summary>/);
    assert.ok(!/<details[^>]*\bopen\b/.test(html), 'the disclosure starts closed');
    const hidden = text(insideDetails(html));
    assert.ok(hidden.includes('Patient/sbx-patient-9 not found'), 'IT can still read the EHR’s own words');
    assert.ok(hidden.includes('invalid_resource'));
  });

  it('a failed delivery’s progress marks Sending as stopped and highlights no step as current; the dialog title follows the outcome', () => {
    const html = renderToStaticMarkup(createElement(DeliveryProgress, { job: failedJob }));
    assert.ok(!html.includes('aria-current'), 'no step is shown as the current one');
    assert.ok(!/class="step-current"/.test(html), 'Queued is not highlighted');
    assert.match(html, /<li class="step-stopped">Sending<span> \(stopped\)<\/span><\/li>/);
    assert.ok(!text(outsideDetails(html)).includes('HTTP 422'));
    assert.equal(signedTitle(failedJob), 'Signed, not delivered yet');
    assert.equal(signedTitle({ ...failedJob, state: 'queued' }), 'Signed: sending to the EHR');
    assert.equal(signedTitle(undefined), 'Signed: sending to the EHR');
    assert.equal(signedTitle({ ...failedJob, state: 'delivered' }), 'Signed and delivered to the EHR');
  });

  it('a delivered note’s receipt says what the EHR holds; resource ids only inside Details for IT', () => {
    const delivered: OutboxJobSummary = {
      ...failedJob,
      state: 'delivered',
      lastError: undefined,
      lastErrorCode: undefined,
      deliveredAt: '2026-03-02T09:02:00.000Z',
      receipt: {
        target: 'fhir',
        resources: [
          { type: 'DocumentReference', id: 'c1a2b3c4-0000-4000-8000-000000000001' },
          { type: 'Condition', id: 'c1a2b3c4-0000-4000-8000-000000000002' },
          { type: 'Condition', id: 'c1a2b3c4-0000-4000-8000-000000000003' },
          { type: 'Provenance', id: 'c1a2b3c4-0000-4000-8000-000000000004' },
        ],
      },
    };
    const html = renderToStaticMarkup(createElement(DeliveryProgress, { job: delivered }));
    const shown = text(outsideDetails(html));
    assert.match(shown, /The EHR holds the note, 2 diagnoses and the record of who signed it\./);
    assert.ok(!shown.includes('DocumentReference') && !shown.includes('c1a2b3c4'), shown);
    assert.ok(text(insideDetails(html)).includes('DocumentReference/c1a2b3c4-0000-4000-8000-000000000001'));
  });

  it('an error naming env vars, commands and paths shows its plain sentences; the rest goes to Details for IT', () => {
    const error = new ApiCallError({
      code: 'unavailable',
      reason: 'asr.no_model',
      message:
        'No speech model is installed on this computer. Run `npm run models:fetch` or set SCRIBE_MODELS_DIR to /opt/scribe/models. Import a transcript meanwhile.',
    });
    assert.equal(errorText(error), 'No speech model is installed on this computer. Import a transcript meanwhile.');
    assert.equal(plainMessage(error.message), errorText(error), 'a transcription failure’s message reads the same way');
    const html = renderToStaticMarkup(createElement(ErrorNotice, { error }));
    assert.ok(!text(outsideDetails(html)).includes('SCRIBE_MODELS_DIR'));
    assert.ok(text(insideDetails(html)).includes('SCRIBE_MODELS_DIR'));
    const onlyTechnical = new ApiCallError({ code: 'internal', message: 'ENOENT: /var/lib/scribe/store.db' });
    assert.equal(errorText(onlyTechnical), 'This did not work. Tell IT, and show them the details below.');
    const plain = new ApiCallError({ code: 'bad_request', message: 'An encounter ID has up to 128 characters.' });
    assert.equal(errorText(plain), 'An encounter ID has up to 128 characters.');
    // No EHR set up: the clinician reads that in plain words; which setting is missing is IT's.
    const notSetUp = new ApiCallError({
      code: 'unavailable',
      message:
        "The EHR connection is not set up, so today's schedule cannot be read. No FHIR server is set up (setting fhirBaseUrl). You can still create a visit by hand.",
    });
    assert.equal(
      errorText(notSetUp),
      "The EHR connection is not set up, so today's schedule cannot be read. You can still create a visit by hand.",
    );
  });

  it('counts agree with their words', () => {
    assert.equal(plural(1, 'note was not delivered and needs', 'notes were not delivered and need'), '1 note was not delivered and needs');
    assert.equal(plural(2, 'note was not delivered and needs', 'notes were not delivered and need'), '2 notes were not delivered and need');
    assert.equal(
      `${plural(1, 'transcript line', 'transcript lines')} ${agree(1, 'is', 'are')} highlighted`,
      '1 transcript line is highlighted',
    );
    assert.equal(
      `${plural(3, 'transcript line', 'transcript lines')} ${agree(3, 'is', 'are')} highlighted`,
      '3 transcript lines are highlighted',
    );
    assert.equal(plural(0, 'note', 'notes'), '0 notes');
    const now = new Date('2026-03-02T12:00:00Z');
    assert.equal(timeAgo('2026-03-02T11:59:40Z', now), 'just now');
    assert.equal(timeAgo('2026-03-02T11:55:00Z', now), '5 min ago');
    assert.equal(timeAgo('2026-03-02T09:00:00Z', now), '3 h ago');
    assert.equal(timeAgo('2026-03-01T10:00:00Z', now), 'yesterday');
    assert.equal(timeAgo('2026-02-26T10:00:00Z', now), '4 days ago');
  });
});

describe('lists that identify a visit', () => {
  it('five visits of one patient read apart: reason, clinician, scheduled time, encounter, how long ago and state', () => {
    const reasons = ['Blood pressure follow-up', 'Cough for two weeks', 'Knee pain', 'Medication review', 'Rash on left arm'];
    const clinicians = ['Dr. Robin Clinician-Sandbox', 'Dr. Kai Physician-Sandbox', undefined, 'Dr. Robin Clinician-Sandbox', undefined];
    const visits: VisitSummary[] = reasons.map((reasonForVisit, i) => ({
      id: `0f6b1d2e-1111-4a4a-8b8b-00000000000${i}` as VisitId,
      patientId: 'sbx-patient-1',
      encounterId: `sbx-encounter-${i + 1}`,
      patientName: 'Ada Fakename-Sandbox',
      reasonForVisit,
      ...(clinicians[i] ? { clinician: clinicians[i] } : {}),
      scheduledAt: new Date(Date.now() + i * 3_600_000).toISOString(),
      createdBy: 'dr.workstation',
      state: i === 4 ? 'ready_for_signature' : 'draft_ready',
      createdAt: new Date(Date.now() - (i + 1) * 600_000).toISOString(),
      updatedAt: new Date().toISOString(),
    }));
    const html = renderToStaticMarkup(createElement(VisitTable, { visits, labelledBy: 'h' }));
    const rows = [...html.matchAll(/<tr>([\s\S]*?)<\/tr>/g)].slice(1).map((m) => text(m[1]!));
    assert.equal(rows.length, 5);
    assert.equal(new Set(rows).size, 5, 'no two rows read the same');
    rows.forEach((row, i) => {
      assert.ok(row.includes(reasons[i]!), row);
      assert.ok(row.includes(clinicians[i] ?? 'dr.workstation'), `a visit with no encounter clinician names who started it: ${row}`);
      assert.ok(row.includes(`sbx-encounter-${i + 1}`), row);
      assert.match(row, new RegExp(`\\(${(i + 1) * 10} min ago\\)`));
    });
    assert.match(text(rows[4]!), /Ready for signature/);
    // The filters offer each state and each clinician in the list once.
    assert.match(
      html,
      /<option value="draft_ready">Draft ready<\/option><option value="ready_for_signature">Ready for signature<\/option>/,
    );
    assert.equal((html.match(/<option value="Dr\. Robin Clinician-Sandbox">/g) ?? []).length, 1);
    assert.match(html, /<option value="dr\.workstation">/);
  });
});

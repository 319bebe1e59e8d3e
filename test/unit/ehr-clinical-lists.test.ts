import assert from 'node:assert/strict';
import { describe, test } from 'vitest';
import { boundedList, FhirCondition, FhirMedicationRequest, medicationNames, problemNames } from '../../main/ehr/clinical-lists.js';
import { PatientContext } from '../../shared/domain/visit.js';

const ME = 'pat-1';
const rx = (over: Record<string, unknown>) =>
  FhirMedicationRequest.parse({
    resourceType: 'MedicationRequest',
    id: 'm',
    status: 'active',
    subject: { reference: `Patient/${ME}` },
    ...over,
  });
const problem = (over: Record<string, unknown>) =>
  FhirCondition.parse({
    resourceType: 'Condition',
    id: 'c',
    subject: { reference: `Patient/${ME}` },
    clinicalStatus: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/condition-clinical', code: 'active' }] },
    category: [{ coding: [{ system: 'http://terminology.hl7.org/CodeSystem/condition-category', code: 'problem-list-item' }] }],
    ...over,
  });

describe('medication names', () => {
  test('text, then a coding display, then the reference display; only active requests for this patient', () => {
    const names = medicationNames(
      [
        rx({ medicationCodeableConcept: { text: 'lisinopril 10 MG Oral Tablet', coding: [{ display: 'ignored' }] } }),
        rx({ medicationCodeableConcept: { coding: [{ system: 'rxnorm', code: '861007' }, { display: 'metformin 500 MG Oral Tablet' }] } }),
        rx({ medicationReference: { reference: 'Medication/x', display: 'insulin glargine 100 UNT/ML' } }),
        rx({ medicationReference: { reference: 'Medication/y' } }),
        rx({ status: 'stopped', medicationCodeableConcept: { text: 'amlodipine 5 MG' } }),
        rx({ status: 'on-hold', medicationCodeableConcept: { text: 'warfarin 5 MG' } }),
        rx({ subject: { reference: 'Patient/someone-else' }, medicationCodeableConcept: { text: 'methotrexate 2.5 MG' } }),
        rx({ subject: { reference: `https://ehr.example/fhir/Patient/${ME}` }, medicationCodeableConcept: { text: 'atorvastatin 20 MG' } }),
      ],
      ME,
    );
    assert.deepEqual(names, [
      'lisinopril 10 MG Oral Tablet',
      'metformin 500 MG Oral Tablet',
      'insulin glargine 100 UNT/ML',
      'atorvastatin 20 MG',
    ]);
  });
});

describe('problem names', () => {
  test('active, recurring or relapsed problem-list items for this patient; no encounter diagnoses, resolved, refuted or erroneous entries', () => {
    const names = problemNames(
      [
        problem({ code: { text: 'Essential hypertension' } }),
        problem({ code: { coding: [{ code: '44054006', display: 'Type 2 diabetes mellitus' }] } }),
        problem({ code: { text: 'Major depressive disorder, recurrent' }, clinicalStatus: { coding: [{ code: 'recurrence' }] } }),
        problem({ code: { text: 'Acute bronchitis' }, clinicalStatus: { coding: [{ code: 'resolved' }] } }),
        problem({ code: { text: 'Asthma' }, verificationStatus: { coding: [{ code: 'refuted' }] } }),
        problem({ code: { text: 'Gout' }, verificationStatus: { coding: [{ code: 'entered-in-error' }] } }),
        problem({ code: { text: 'Sore throat' }, category: [{ coding: [{ code: 'encounter-diagnosis' }] }] }),
        problem({ code: { text: 'Unstated status' }, clinicalStatus: undefined }),
        problem({ code: { text: 'Migraine' }, subject: { reference: 'Patient/someone-else' } }),
        problem({ code: { text: 'essential  hypertension' } }),
      ],
      ME,
    );
    assert.deepEqual(names, ['Essential hypertension', 'Type 2 diabetes mellitus', 'Major depressive disorder, recurrent']);
  });
});

describe('bounded lists', () => {
  test('what is kept always fits the stored patient context: 50 items of at most 120 characters', () => {
    const many = Array.from({ length: 80 }, (_, i) => `medication number ${i} ${'x'.repeat(200)}`);
    const kept = boundedList([...many, undefined, '  ', 'plain']);
    assert.equal(kept.length, 50);
    assert.ok(kept.every((k) => k.length <= 120 && k.startsWith('medication number')));
    assert.ok(PatientContext.safeParse({ medications: kept, problems: kept }).success);
    assert.equal(PatientContext.safeParse({ medications: [...kept, 'one more'] }).success, false, 'the stored shape refuses a 51st item');
  });
});

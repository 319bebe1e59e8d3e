import type { Condition, Medication, MedicationRequest, Resource } from '@medplum/fhirtypes';

/**
 * The sandbox patients' medication lists and problem lists, shaped as US Core MedicationRequest and
 * Condition (Problems and Health Concerns): RxNorm, SNOMED CT and ICD-10-CM codes with their
 * display names. Each list holds something the app must leave out (a stopped medication, a
 * resolved problem), so reading "active" is tested against a server that has more.
 */
const RXNORM = 'http://www.nlm.nih.gov/research/umls/rxnorm';
const SNOMED = 'http://snomed.info/sct';
const ICD10CM = 'http://hl7.org/fhir/sid/icd-10-cm';
const US_CORE_MEDICATION_REQUEST = 'http://hl7.org/fhir/us/core/StructureDefinition/us-core-medicationrequest';
const US_CORE_MEDICATION = 'http://hl7.org/fhir/us/core/StructureDefinition/us-core-medication';
const US_CORE_PROBLEM = 'http://hl7.org/fhir/us/core/StructureDefinition/us-core-condition-problems-health-concerns';

interface SeedMedication {
  readonly rxnorm: string;
  readonly display: string;
  readonly status: MedicationRequest['status'];
  readonly authoredOn: string;
  /** Given as a reference to a Medication resource (with a display), as some EHRs do. */
  readonly asReference?: boolean;
}

interface SeedProblem {
  readonly snomed: string;
  readonly icd10: string;
  readonly display: string;
  readonly clinicalStatus: 'active' | 'resolved';
  readonly onset: string;
  readonly abated?: string;
}

interface SeedChart {
  readonly patientId: string;
  readonly practitionerId: string;
  readonly medications: readonly SeedMedication[];
  readonly problems: readonly SeedProblem[];
}

const HYPERTENSION: SeedProblem = {
  snomed: '59621000',
  icd10: 'I10',
  display: 'Essential hypertension',
  clinicalStatus: 'active',
  onset: '2016-05-02',
};
const LISINOPRIL: SeedMedication = {
  rxnorm: '314076',
  display: 'lisinopril 10 MG Oral Tablet',
  status: 'active',
  authoredOn: '2024-02-12',
};

/** Patient 1 comes for a blood pressure follow-up, patient 5 for a diabetes check (see seed.ts). */
export const SANDBOX_CHARTS: readonly SeedChart[] = [
  {
    patientId: 'sbx-patient-1',
    practitionerId: 'sbx-practitioner-1',
    medications: [
      LISINOPRIL,
      {
        rxnorm: '866427',
        display: '24 HR metoprolol succinate 25 MG Extended Release Oral Tablet',
        status: 'active',
        authoredOn: '2024-02-12',
      },
      { rxnorm: '617310', display: 'atorvastatin 20 MG Oral Tablet', status: 'active', authoredOn: '2023-08-30' },
      { rxnorm: '197361', display: 'amlodipine 5 MG Oral Tablet', status: 'stopped', authoredOn: '2022-01-10' },
    ],
    problems: [
      HYPERTENSION,
      { snomed: '55822004', icd10: 'E78.5', display: 'Hyperlipidemia', clinicalStatus: 'active', onset: '2019-11-20' },
      {
        snomed: '10509002',
        icd10: 'J20.9',
        display: 'Acute bronchitis',
        clinicalStatus: 'resolved',
        onset: '2023-01-14',
        abated: '2023-02-04',
      },
    ],
  },
  {
    patientId: 'sbx-patient-5',
    practitionerId: 'sbx-practitioner-2',
    medications: [
      { rxnorm: '861007', display: 'metformin hydrochloride 500 MG Oral Tablet', status: 'active', authoredOn: '2021-06-03' },
      { ...LISINOPRIL, authoredOn: '2020-09-18' },
      {
        rxnorm: '261551',
        display: 'insulin glargine 100 UNT/ML Injectable Solution',
        status: 'active',
        authoredOn: '2024-10-01',
        asReference: true,
      },
    ],
    problems: [
      { snomed: '44054006', icd10: 'E11.9', display: 'Type 2 diabetes mellitus', clinicalStatus: 'active', onset: '2012-03-08' },
      { ...HYPERTENSION, onset: '2015-07-21' },
    ],
  },
];

function medicationRequest(chart: SeedChart, m: SeedMedication, n: number): Resource[] {
  const id = `sbx-medrx-${chart.patientId.replace('sbx-patient-', '')}-${n + 1}`;
  const concept = { coding: [{ system: RXNORM, code: m.rxnorm, display: m.display }], text: m.display };
  const medication: Medication | undefined = m.asReference
    ? { resourceType: 'Medication', id: `${id}-med`, meta: { profile: [US_CORE_MEDICATION] }, code: concept }
    : undefined;
  const request: MedicationRequest = {
    resourceType: 'MedicationRequest',
    id,
    meta: { profile: [US_CORE_MEDICATION_REQUEST] },
    status: m.status,
    intent: 'order',
    category: [
      { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/medicationrequest-category', code: 'community', display: 'Community' }] },
    ],
    reportedBoolean: false,
    ...(medication
      ? { medicationReference: { reference: `Medication/${medication.id}`, display: m.display } }
      : { medicationCodeableConcept: concept }),
    subject: { reference: `Patient/${chart.patientId}` },
    authoredOn: m.authoredOn,
    requester: { reference: `Practitioner/${chart.practitionerId}` },
    dosageInstruction: [{ text: 'As directed' }],
  };
  return medication ? [medication, request] : [request];
}

function condition(chart: SeedChart, p: SeedProblem, n: number): Condition {
  return {
    resourceType: 'Condition',
    id: `sbx-problem-${chart.patientId.replace('sbx-patient-', '')}-${n + 1}`,
    meta: { profile: [US_CORE_PROBLEM] },
    clinicalStatus: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/condition-clinical', code: p.clinicalStatus }] },
    verificationStatus: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/condition-ver-status', code: 'confirmed' }] },
    category: [
      {
        coding: [
          { system: 'http://terminology.hl7.org/CodeSystem/condition-category', code: 'problem-list-item', display: 'Problem List Item' },
        ],
      },
    ],
    code: {
      coding: [
        { system: SNOMED, code: p.snomed, display: p.display },
        { system: ICD10CM, code: p.icd10, display: p.display },
      ],
      text: p.display,
    },
    subject: { reference: `Patient/${chart.patientId}` },
    onsetDateTime: p.onset,
    recordedDate: p.onset,
    ...(p.abated ? { abatementDateTime: p.abated } : {}),
  };
}

/** The charts' resources, Medications before the requests that reference them. */
export function sandboxClinicalSeed(): Resource[] {
  return SANDBOX_CHARTS.flatMap((chart) => [
    ...chart.medications.flatMap((m, i) => medicationRequest(chart, m, i)),
    ...chart.problems.map((p, i) => condition(chart, p, i)),
  ]);
}

/** Conditions the sandbox starts with: tests counting the Conditions write-back made subtract these. */
export const SANDBOX_SEEDED_CONDITIONS = SANDBOX_CHARTS.reduce((n, chart) => n + chart.problems.length, 0);

import type { Encounter, Organization, Patient, Practitioner, Resource } from '@medplum/fhirtypes';
import { withLocalOffset } from '../ehr/local-day.js';
import { sandboxClinicalSeed } from './seed-clinical.js';

/**
 * Synthetic people for the sandbox EHR. Every name ends in "Sandbox" so nobody mistakes a demo
 * screen for a real chart; identifiers use our own URN systems so they can never collide with a
 * real MRN or NPI registry.
 */
export const SANDBOX_MRN_SYSTEM = 'urn:ambient-scribe:sandbox:mrn';
export const SANDBOX_STAFF_SYSTEM = 'urn:ambient-scribe:sandbox:staff-id';

export interface SeedPerson {
  readonly id: string;
  readonly given: string;
  readonly family: string;
}

export const SANDBOX_PRACTITIONERS: readonly (SeedPerson & { readonly staffId: string })[] = [
  { id: 'sbx-practitioner-1', given: 'Robin', family: 'Clinician-Sandbox', staffId: 'SBX-STAFF-01' },
  { id: 'sbx-practitioner-2', given: 'Kai', family: 'Physician-Sandbox', staffId: 'SBX-STAFF-02' },
  { id: 'sbx-practitioner-3', given: 'Noor', family: 'Nurse-Practitioner-Sandbox', staffId: 'SBX-STAFF-03' },
];

/** A scribe who signs in to the sandbox EHR: their fhirUser is a Person, not a Practitioner, so they never sign notes. */
export const SANDBOX_SCRIBES: readonly SeedPerson[] = [{ id: 'sbx-scribe-1', given: 'Sam', family: 'Scribe-Sandbox' }];

export const SANDBOX_PATIENTS: readonly (SeedPerson & {
  readonly mrn: string;
  readonly gender: Patient['gender'];
  readonly birthDate: string;
  readonly reason: string;
})[] = [
  {
    id: 'sbx-patient-1',
    given: 'Ada',
    family: 'Fakename-Sandbox',
    mrn: 'SBX-MRN-0001',
    gender: 'female',
    birthDate: '1958-04-12',
    reason: 'Blood pressure follow-up',
  },
  {
    id: 'sbx-patient-2',
    given: 'Bram',
    family: 'Notreal-Sandbox',
    mrn: 'SBX-MRN-0002',
    gender: 'male',
    birthDate: '1971-09-30',
    reason: 'Cough for two weeks',
  },
  {
    id: 'sbx-patient-3',
    given: 'Cleo',
    family: 'Synthetic-Sandbox',
    mrn: 'SBX-MRN-0003',
    gender: 'female',
    birthDate: '1990-01-05',
    reason: 'Annual physical',
  },
  {
    id: 'sbx-patient-4',
    given: 'Dov',
    family: 'Example-Sandbox',
    mrn: 'SBX-MRN-0004',
    gender: 'male',
    birthDate: '2012-11-17',
    reason: 'Sore throat',
  },
  {
    id: 'sbx-patient-5',
    given: 'Esme',
    family: 'Placeholder-Sandbox',
    mrn: 'SBX-MRN-0005',
    gender: 'unknown',
    birthDate: '1944-06-21',
    reason: 'Diabetes check',
  },
];

export const SANDBOX_ORGANIZATION_ID = 'sbx-clinic';

/** Today's encounter for patient n (1-based) is `sbx-encounter-n`, seen by practitioner ((n-1) mod 3)+1. */
export const sandboxEncounterId = (patientIndex: number) => `sbx-encounter-${patientIndex + 1}`;

function practitioner(p: (typeof SANDBOX_PRACTITIONERS)[number]): Practitioner {
  return {
    resourceType: 'Practitioner',
    id: p.id,
    identifier: [{ system: SANDBOX_STAFF_SYSTEM, value: p.staffId }],
    name: [{ use: 'official', family: p.family, given: [p.given], prefix: ['Dr.'] }],
    active: true,
  };
}

function patient(p: (typeof SANDBOX_PATIENTS)[number]): Patient {
  return {
    resourceType: 'Patient',
    id: p.id,
    identifier: [
      {
        use: 'usual',
        type: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/v2-0203', code: 'MR', display: 'Medical record number' }] },
        system: SANDBOX_MRN_SYSTEM,
        value: p.mrn,
      },
    ],
    active: true,
    name: [{ use: 'official', family: p.family, given: [p.given] }],
    gender: p.gender,
    birthDate: p.birthDate,
    managingOrganization: { reference: `Organization/${SANDBOX_ORGANIZATION_ID}` },
  };
}

function encounter(index: number, today: Date): Encounter {
  const p = SANDBOX_PATIENTS[index]!;
  const doctor = SANDBOX_PRACTITIONERS[index % SANDBOX_PRACTITIONERS.length]!;
  // Visits every 30 minutes from 09:00 on the workstation's local "today" (the day the app asks for), so a demo list sorts sensibly.
  const start = new Date(today.getFullYear(), today.getMonth(), today.getDate(), 9, index * 30);
  const end = new Date(start.getTime() + 25 * 60_000);
  return {
    resourceType: 'Encounter',
    id: sandboxEncounterId(index),
    identifier: [{ system: 'urn:ambient-scribe:sandbox:visit-number', value: `SBX-V-${String(index + 1).padStart(4, '0')}` }],
    status: 'in-progress',
    class: { system: 'http://terminology.hl7.org/CodeSystem/v3-ActCode', code: 'AMB', display: 'ambulatory' },
    type: [{ coding: [{ system: 'http://snomed.info/sct', code: '185349003', display: 'Encounter for check up' }], text: 'Office visit' }],
    subject: { reference: `Patient/${p.id}` },
    participant: [
      {
        type: [
          {
            coding: [{ system: 'http://terminology.hl7.org/CodeSystem/v3-ParticipationType', code: 'PPRF', display: 'primary performer' }],
          },
        ],
        individual: { reference: `Practitioner/${doctor.id}`, display: `Dr. ${doctor.given} ${doctor.family}` },
      },
    ],
    period: { start: withLocalOffset(start), end: withLocalOffset(end) },
    reasonCode: [{ text: p.reason }],
    serviceProvider: { reference: `Organization/${SANDBOX_ORGANIZATION_ID}` },
  };
}

const organization: Organization = {
  resourceType: 'Organization',
  id: SANDBOX_ORGANIZATION_ID,
  identifier: [{ system: 'urn:ambient-scribe:sandbox:organization', value: 'SBX-CLINIC' }],
  active: true,
  type: [{ coding: [{ system: 'http://terminology.hl7.org/CodeSystem/organization-type', code: 'prov', display: 'Healthcare Provider' }] }],
  name: 'Sandbox Family Clinic',
};

/** Everything the sandbox starts with; encounters are dated `today` so "today's schedule" is never empty. */
export function sandboxSeed(today: Date): Resource[] {
  return [
    organization,
    ...SANDBOX_PRACTITIONERS.map(practitioner),
    ...SANDBOX_PATIENTS.map(patient),
    ...SANDBOX_PATIENTS.map((_, i) => encounter(i, today)),
    ...sandboxClinicalSeed(),
  ];
}

import type { FieldSpec } from '../components/SettingsGroup.js';

const CHARACTERS = 'Up to 180 characters, without | ^ ~ \\ & (HL7 delimiters).';

/** MSH-3..6, MSH-11 and PID-3: what the interface engine routes and files each note by. */
export const hl7IdentityFields: readonly FieldSpec[] = [
  { key: 'hl7SendingApplication', kind: 'text', label: 'Sending application (MSH-3)', hint: CHARACTERS },
  { key: 'hl7SendingFacility', kind: 'text', label: 'Sending facility (MSH-4)', hint: `Empty: left blank. ${CHARACTERS}` },
  {
    key: 'hl7ReceivingApplication',
    kind: 'text',
    label: 'Receiving application (MSH-5)',
    hint: `Required with an HL7 v2 host: the interface engine team gives it. Empty without a host: the sandbox EHR's. ${CHARACTERS}`,
  },
  {
    key: 'hl7ReceivingFacility',
    kind: 'text',
    label: 'Receiving facility (MSH-6)',
    hint: `Required with an HL7 v2 host. Empty without a host: the sandbox EHR's. ${CHARACTERS}`,
  },
  {
    key: 'hl7PatientIdAuthority',
    kind: 'text',
    label: 'Patient id assigning authority (PID-3.4)',
    hint: `The EHR's patient id namespace. Required with an HL7 v2 host. ${CHARACTERS}`,
  },
  {
    key: 'hl7PatientIdType',
    kind: 'select',
    label: 'Patient id type (PID-3.5)',
    options: [
      { value: 'PI', label: 'PI: patient internal id' },
      { value: 'MR', label: 'MR: medical record number' },
      { value: 'PT', label: 'PT: patient external id' },
      { value: 'PN', label: 'PN: person number' },
    ],
  },
  {
    key: 'hl7ProcessingId',
    kind: 'select',
    label: 'Processing id (MSH-11)',
    options: [
      { value: 'P', label: 'P: production' },
      { value: 'T', label: 'T: training / test system' },
      { value: 'D', label: 'D: debugging' },
    ],
  },
];

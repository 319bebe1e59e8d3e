import type { Settings } from '../../../shared/domain/policy.js';
import type { Hl7TargetConfigInput } from './hl7-config.js';
import { noHl7Receiver, receiverIdentityMissing } from './hl7-errors.js';

/** The receiver used when no MLLP host is set (the demo EHR's listener); its fields fill what the settings leave unset. */
export type Hl7ReceiverDefaults = Pick<
  Hl7TargetConfigInput,
  'host' | 'port' | 'receivingApplication' | 'receivingFacility' | 'patientIdAuthority' | 'patientIdType'
>;

/** The settings that name this app, the receiver and the patient id namespace in each message. */
export type Hl7IdentitySettings = Pick<
  Settings,
  | 'mllpHost'
  | 'mllpPort'
  | 'mllpTls'
  | 'hl7SendingApplication'
  | 'hl7SendingFacility'
  | 'hl7ReceivingApplication'
  | 'hl7ReceivingFacility'
  | 'hl7PatientIdAuthority'
  | 'hl7PatientIdType'
  | 'hl7ProcessingId'
  | 'hl7DocumentTypes'
  | 'hl7ProviderIdAuthority'
  | 'hl7ProviderIdType'
>;

/**
 * The HL7 v2 receiver the settings describe. With no host the default receiver (the demo EHR on
 * this computer; its identity fills what is not set, so a first run needs nothing). A real interface engine routes on
 * MSH-5/6 and files patients by PID-3.4, so with a host those must be set: guessing them would
 * send notes nowhere, or to the wrong patient namespace.
 */
export function hl7TargetFromSettings(settings: Hl7IdentitySettings, whenUnset: Hl7ReceiverDefaults | undefined): Hl7TargetConfigInput {
  const identity = {
    sendingApplication: settings.hl7SendingApplication,
    ...(settings.hl7SendingFacility === null ? {} : { sendingFacility: settings.hl7SendingFacility }),
    patientIdType: settings.hl7PatientIdType,
    processingId: settings.hl7ProcessingId,
    documentTypes: settings.hl7DocumentTypes,
    ...(settings.hl7ProviderIdAuthority === null ? {} : { providerIdAuthority: settings.hl7ProviderIdAuthority }),
    providerIdType: settings.hl7ProviderIdType,
  };
  if (settings.mllpHost === null) {
    if (!whenUnset) throw noHl7Receiver();
    return {
      ...whenUnset,
      ...identity,
      receivingApplication: settings.hl7ReceivingApplication ?? whenUnset.receivingApplication,
      receivingFacility: settings.hl7ReceivingFacility ?? whenUnset.receivingFacility,
      patientIdAuthority: settings.hl7PatientIdAuthority ?? whenUnset.patientIdAuthority,
    };
  }
  const {
    hl7ReceivingApplication: receivingApplication,
    hl7ReceivingFacility: receivingFacility,
    hl7PatientIdAuthority: patientIdAuthority,
  } = settings;
  if (receivingApplication === null || receivingFacility === null || patientIdAuthority === null) {
    const missing = (['hl7ReceivingApplication', 'hl7ReceivingFacility', 'hl7PatientIdAuthority'] as const).filter(
      (key) => settings[key] === null,
    );
    throw receiverIdentityMissing(missing);
  }
  return {
    host: settings.mllpHost,
    port: settings.mllpPort,
    ...(settings.mllpTls ? { tls: {} } : {}),
    ...identity,
    receivingApplication,
    receivingFacility,
    patientIdAuthority,
  };
}

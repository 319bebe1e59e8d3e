import type { DocumentReference, Patient } from '@medplum/fhirtypes';
import type { Settings } from '../../shared/domain/policy.js';
import { settingDefaults } from '../../shared/domain/policy.js';
import type { DemoEhrDocument } from '../../shared/domain/demo-ehr.js';
import type { Logger } from '../log/logger.js';
import { resolveEffectiveSettings, settingValues } from '../policy/effective-settings.js';
import type { LoadedPolicy } from '../policy/policy-file.js';
import { readUserSettings } from '../policy/user-settings-file.js';
import { SCOPE_WITH_MEDICATIONS } from '../fhir/fhir-target-config.js';
import type { DefaultTargets } from '../writeback/default-targets.js';
import { loadOrCreateSandboxClientKey, sandboxClientKeyPath } from './sandbox-client-key.js';
import { SANDBOX_DEFAULTS } from './sandbox-defaults.js';
import { findMllpListener, SANDBOX_HL7_TARGET, sandboxMllpListener } from './sandbox-mllp.js';
import { startSandbox } from './sandbox.js';
import { SANDBOX_PRACTITIONERS } from './seed.js';

/**
 * The demo EHR inside the app's own process: the sandbox EHR (synthetic patients, in memory) on
 * free loopback ports, started by `npm start` and `npm run web` when no EHR is configured and the
 * machine policy allows it (`demoEhrAllowed`). The schedule, patient search, delivery (FHIR and
 * HL7 v2) and clinician sign-in all point at it; it stops with the process and keeps nothing.
 */
export interface EmbeddedDemoEhr {
  /** Where notes go and the schedule is read while the settings name no EHR. */
  readonly targets: DefaultTargets;
  /** Clinician sign-in (SMART) while the settings name no EHR. */
  readonly signIn: { readonly fhirBaseUrl: string; readonly clientId: string };
  /** What it has filed, newest first. */
  received(): Promise<DemoEhrDocument[]>;
  close(): Promise<void>;
}

/** No EHR named: no FHIR server, no HL7 receiver, no file-drop folder. */
export function namesNoEhr(settings: Pick<Settings, 'fhirBaseUrl' | 'mllpHost' | 'ehrRouting' | 'fileDropFolder'>): boolean {
  return (
    settings.fhirBaseUrl === null &&
    settings.mllpHost === null &&
    !(settings.ehrRouting === 'file-drop' && settings.fileDropFolder !== null)
  );
}

/**
 * Whether a host should start the demo EHR: read before the store opens, from the same settings
 * the app will use (the user's settings file under the machine policy).
 */
export function demoEhrWanted(dataDir: string, policy: LoadedPolicy): boolean {
  const settings = settingValues(resolveEffectiveSettings(settingDefaults, readUserSettings(dataDir).values, policy.values));
  return settings.demoEhrAllowed && namesNoEhr(settings);
}

const patientName = (patient: Patient | undefined) =>
  patient?.name?.[0] ? [...(patient.name[0].given ?? []), patient.name[0].family ?? ''].join(' ').trim() : 'Unknown patient';

const decodeAttachment = (data: string | undefined) => (data ? Buffer.from(data, 'base64').toString('utf8') : '');

export async function startEmbeddedDemoEhr(options: { readonly dataDir: string; readonly logger: Logger }): Promise<EmbeddedDemoEhr> {
  const { key } = await loadOrCreateSandboxClientKey(sandboxClientKeyPath(options.dataDir));
  const sandbox = await startSandbox({
    port: 0,
    backendClients: [{ clientId: SANDBOX_DEFAULTS.backendClientId, jwks: key.publicJwks }],
    logger: options.logger,
    extraListeners: [sandboxMllpListener({ port: 0 })],
  });
  const mllp = findMllpListener(sandbox.listeners);
  const patients = new Map<string, Patient>();

  async function received(): Promise<DemoEhrDocument[]> {
    const documents = await sandbox.repository.searchResources<DocumentReference>({ resourceType: 'DocumentReference', count: 1000 });
    const fromFhir = await Promise.all(
      documents.map(async (doc): Promise<DemoEhrDocument> => {
        const patientId = doc.subject?.reference?.replace(/^Patient\//, '') ?? '';
        if (patientId && !patients.has(patientId))
          patients.set(
            patientId,
            await sandbox.repository.readResource<Patient>('Patient', patientId).catch(() => ({ resourceType: 'Patient' })),
          );
        const parent = doc.relatesTo?.find((r) => r.code === 'appends')?.target?.reference;
        return {
          id: `DocumentReference/${doc.id}`,
          via: 'fhir',
          receivedAt: doc.meta?.lastUpdated ?? doc.date ?? '',
          patient: patientName(patients.get(patientId)),
          title: doc.description ?? doc.type?.text ?? doc.type?.coding?.[0]?.display ?? 'Clinical note',
          status: doc.docStatus ?? doc.status,
          ...(parent ? { addendumTo: parent } : {}),
          text: decodeAttachment(doc.content[0]?.attachment?.data),
        };
      }),
    );
    const fromHl7 = (mllp?.received() ?? []).map((message): DemoEhrDocument => ({
      id: `HL7 ${message.controlId}`,
      via: 'hl7v2',
      receivedAt: message.receivedAt,
      patient: `${message.document.patient.given} ${message.document.patient.family}`.trim(),
      title: `MDM^${message.document.eventType} ${message.document.document.type}`.trim(),
      status: message.document.document.completionStatus,
      ...(message.document.document.parentDocumentNumber ? { addendumTo: message.document.document.parentDocumentNumber } : {}),
      text: message.document.noteText,
    }));
    return [...fromFhir, ...fromHl7].sort((a, b) => b.receivedAt.localeCompare(a.receivedAt));
  }

  options.logger.info('demo_ehr.started', { profile: 'permissive' });
  return {
    targets: {
      fhir: () =>
        Promise.resolve({
          baseUrl: sandbox.fhirBaseUrl,
          clientId: SANDBOX_DEFAULTS.backendClientId,
          privateKey: key.privateKey,
          signingAlg: key.alg,
          organizationId: SANDBOX_DEFAULTS.organizationId,
          scope: SCOPE_WITH_MEDICATIONS,
        }),
      hl7: { ...SANDBOX_HL7_TARGET, port: mllp?.port ?? SANDBOX_HL7_TARGET.port },
      demoSigner: SANDBOX_PRACTITIONERS[0]?.id,
    },
    signIn: { fhirBaseUrl: sandbox.fhirBaseUrl, clientId: SANDBOX_DEFAULTS.clinicianClientId },
    received,
    close: () => sandbox.close(),
  };
}

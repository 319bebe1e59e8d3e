import { useId } from 'react';
import type { AppInfo } from '../../../shared/api/contract.js';
import { useApp } from '../app-context.js';
import { AuditCheck } from '../components/AuditCheck.js';
import { AuditExport } from '../components/AuditExport.js';
import { ConnectionTest } from '../components/ConnectionTest.js';
import { DemoEhrConnection, useDemoEhrInUse } from '../components/DemoEhrBadge.js';
import { DetailsForIt } from '../components/DetailsForIt.js';
import { GlobalShortcutNote } from '../components/GlobalShortcutNote.js';
import { ManagedByIt, PolicyLocks } from '../components/ManagedByIt.js';
import type { FieldSpec } from '../components/SettingsGroup.js';
import { SettingsGroup } from '../components/SettingsGroup.js';
import { TerminologyDetails } from '../components/TerminologyDetails.js';
import { SpeechModelPanel } from '../components/SpeechModelPanel.js';
import type { AppInfoState } from '../hooks/useAppInfo.js';
import { useSettings } from '../hooks/useSettings.js';
import { roleLabel } from '../role-label.js';
import { hl7IdentityFields } from '../settings/hl7-identity-fields.js';

const transportLabels: Record<AppInfo['transport'], string> = {
  ipc: 'Desktop app (IPC)',
  web: 'Loopback web bridge',
  cli: 'Command line',
};

const engineFields: readonly FieldSpec[] = [
  {
    key: 'transcriptionEngines',
    kind: 'multi',
    label: 'Transcription engines, in order of preference',
    options: [
      { value: 'local', label: 'On this computer (Whisper)' },
      { value: 'openai', label: 'OpenAI-compatible service' },
    ],
  },
  {
    key: 'audioMayLeaveDevice',
    kind: 'boolean',
    label: 'Audio may leave this computer',
    hint: 'Off: a transcription service that is not on this computer is never used.',
  },
  {
    key: 'draftingEngines',
    kind: 'multi',
    label: 'Note drafting engines',
    options: [
      { value: 'llm', label: 'Language model (OpenAI-compatible)' },
      { value: 'offline', label: 'Offline rules (on this computer)' },
    ],
  },
];

const recordingFields: readonly FieldSpec[] = [
  { key: 'consentRequired', kind: 'boolean', label: 'Ask for the patient’s consent before recording' },
  {
    key: 'globalShortcut',
    kind: 'text',
    label: 'Start/stop shortcut from any program',
    placeholder: 'CommandOrControl+Shift+Space',
    hint: 'Works while another program, such as the EHR, is in front. Empty: off (the shortcut still works while this window is in front).',
  },
  { key: 'audioRetentionDays', kind: 'number', label: 'Keep audio for this many days after the EHR confirms the note', min: 0, max: 3650 },
];

const ehrFields: readonly FieldSpec[] = [
  {
    key: 'ehrRouting',
    kind: 'select',
    label: 'Send signed notes by',
    options: [
      { value: 'fhir', label: 'FHIR R4' },
      { value: 'hl7v2', label: 'HL7 v2 (MDM^T02 over MLLP)' },
      { value: 'file-drop', label: 'Files in a folder the EMR imports' },
      { value: 'fhir-then-hl7v2', label: 'FHIR, falling back to HL7 v2' },
    ],
  },
  {
    key: 'fhirBaseUrl',
    kind: 'text',
    label: 'FHIR base URL',
    placeholder: 'https://ehr.example.org/fhir/R4',
    hint: 'Empty (and no HL7 v2 host or file drop folder): notes go to the Demo EHR — synthetic patients, on this computer (for demonstrations and tests only).',
  },
  { key: 'fhirTokenUrl', kind: 'text', label: 'FHIR token URL', placeholder: 'https://ehr.example.org/oauth2/token' },
  {
    key: 'fhirScope',
    kind: 'text',
    label: 'FHIR write-back scopes',
    placeholder: 'default: note, condition, provenance, encounter and patient scopes',
  },
  { key: 'fhirClientId', kind: 'text', label: 'FHIR client ID' },
  { key: 'fhirPrivateKeyFile', kind: 'text', label: 'Private key file (full path)' },
  { key: 'mllpHost', kind: 'text', label: 'HL7 v2 host' },
  { key: 'mllpPort', kind: 'number', label: 'HL7 v2 port', min: 1, max: 65535 },
  { key: 'mllpTls', kind: 'boolean', label: 'Use TLS for HL7 v2' },
  { key: 'fileDropFolder', kind: 'text', label: 'File drop folder (full path)' },
];

const signingFields: readonly FieldSpec[] = [
  {
    key: 'signingRoles',
    kind: 'multi',
    label: 'Roles that may sign notes',
    options: [
      { value: 'clinician', label: 'Clinicians' },
      { value: 'scribe', label: 'Scribes' },
      { value: 'admin', label: 'Administrators' },
    ],
  },
];

function AboutDetails({ info }: { info: AppInfo }) {
  return (
    <dl className="details">
      <dt>Product</dt>
      <dd>{info.name}</dd>
      <dt>Version</dt>
      <dd>{info.version}</dd>
      <dt>Signed in as</dt>
      <dd>
        {info.user.id} ({roleLabel(info.user.role)})
      </dd>
      <dt>Running as</dt>
      <dd>{transportLabels[info.transport] ?? info.transport}</dd>
    </dl>
  );
}

export function SettingsView({ info }: { info: AppInfoState }) {
  const { api, user } = useApp();
  const settings = useSettings(api);
  const aboutHeading = useId();
  const auditHeading = useId();
  const termHeading = useId();
  const policyHeading = useId();
  const prefsHeading = useId();
  const itHeading = useId();
  const recordsHeading = useId();
  const view = settings.view;
  const demoEhr = useDemoEhrInUse(api);
  const canEdit = user !== undefined && user.role !== 'scribe';
  // The EHR connection, message identity and signing roles are IT's: only an administrator sees their fields.
  const admin = user?.role === 'admin';

  return (
    <div className="view">
      <h1 tabIndex={-1}>Settings</h1>
      {settings.error ? (
        <p className="alert" role="alert">
          {settings.error}
        </p>
      ) : null}
      <section className="settings-part" aria-labelledby={prefsHeading}>
        <h2 id={prefsHeading}>My preferences</h2>
        {!canEdit ? <p className="muted">Scribes can see the settings but not change them.</p> : null}
        <div className="settings-layout">
          {view ? (
            <>
              <SettingsGroup
                title="Transcription and drafting"
                fields={engineFields}
                view={view}
                canEdit={canEdit}
                onSaved={settings.replace}
              />
              <SettingsGroup title="Recording" fields={recordingFields} view={view} canEdit={canEdit} onSaved={settings.replace}>
                <GlobalShortcutNote />
              </SettingsGroup>
              <SpeechModelPanel />
            </>
          ) : (
            <p className="muted">Loading…</p>
          )}
        </div>
      </section>
      <section className="settings-part" aria-labelledby={itHeading}>
        <h2 id={itHeading}>IT and administration</h2>
        {admin ? (
          <div className="settings-layout">
            <section className="panel" aria-labelledby={policyHeading}>
              <h3 id={policyHeading}>Organisation policy</h3>
              {view ? <PolicyLocks view={view} /> : <p className="muted">Loading…</p>}
            </section>
            {view ? (
              <>
                <SettingsGroup
                  title="EHR connection"
                  intro="Where signed notes are sent. Changes apply to notes signed from now on."
                  fields={ehrFields}
                  view={view}
                  canEdit={canEdit}
                  onSaved={settings.replace}
                >
                  <DemoEhrConnection inUse={demoEhr} />
                  <ConnectionTest />
                </SettingsGroup>
                <SettingsGroup
                  title="HL7 v2 message identity"
                  intro="How each HL7 v2 message names this app, the receiver and the patient's id, as the interface engine expects them."
                  fields={hl7IdentityFields}
                  view={view}
                  canEdit={canEdit}
                  onSaved={settings.replace}
                />
                <SettingsGroup
                  title="Signing"
                  intro="Only an administrator can change who may sign."
                  fields={signingFields}
                  view={view}
                  canEdit={admin}
                  onSaved={settings.replace}
                />
              </>
            ) : null}
          </div>
        ) : (
          <ManagedByIt view={view} demoEhr={demoEhr} />
        )}
      </section>
      <section className="settings-part" aria-labelledby={recordsHeading}>
        <h2 id={recordsHeading}>About and records</h2>
        <div className="settings-layout">
          <section className="panel" aria-labelledby={aboutHeading}>
            <h3 id={aboutHeading}>About this app</h3>
            {info.status === 'ready' ? <AboutDetails info={info.info} /> : null}
            {info.status === 'ready' ? (
              <DetailsForIt>
                <p>Store schema {info.info.schemaVersion}</p>
              </DetailsForIt>
            ) : null}
            {info.status === 'loading' ? <p className="muted">Loading…</p> : null}
            {info.status === 'error' ? (
              <p className="alert" role="alert">
                {info.message}
              </p>
            ) : null}
          </section>
          <section className="panel" aria-labelledby={termHeading}>
            <h3 id={termHeading}>Diagnosis code set</h3>
            <TerminologyDetails />
          </section>
          <section className="panel" aria-labelledby={auditHeading}>
            <h3 id={auditHeading}>Audit log</h3>
            <p>Checks that no entry of the audit log has been changed, removed or reordered since it was written.</p>
            <AuditCheck api={api} />
            <AuditExport />
          </section>
        </div>
      </section>
    </div>
  );
}

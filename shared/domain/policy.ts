import { z } from 'zod';
import { Accelerator, DEFAULT_GLOBAL_SHORTCUT } from './global-shortcut.js';
import { DEFAULT_HL7_DOCUMENT_TYPES, Hl7DocumentTypes, Hl7ProviderIdType } from './hl7-document-types.js';

/**
 * Settings, and the machine-wide policy that locks them. One flat list of named settings (like
 * browser policies): IT writes any subset of them into policy.json, and every setting present there
 * is locked for every user of the workstation. The renderer shows locked settings; main enforces them.
 * The policy file's JSON Schema (schemas/policy.schema.json) and the reference table in
 * docs/deploying.md are generated from these schemas.
 */

export const EhrRouting = z.enum(['fhir', 'hl7v2', 'file-drop', 'fhir-then-hl7v2']);
export type EhrRouting = z.infer<typeof EhrRouting>;

export const TranscriptionEngine = z.enum(['local', 'openai']);
export type TranscriptionEngine = z.infer<typeof TranscriptionEngine>;

export const DraftingEngine = z.enum(['llm', 'offline']);
export type DraftingEngine = z.infer<typeof DraftingEngine>;

/** The same roles as the API's `Role` (kept separate so shared/domain does not import the contract). */
export const PolicyRole = z.enum(['clinician', 'scribe', 'admin']);
export type PolicyRole = z.infer<typeof PolicyRole>;

export const SettingSource = z.enum(['default', 'user', 'policy']);
export type SettingSource = z.infer<typeof SettingSource>;

const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]', '::1']);

/** True for URLs that point at this machine: traffic to them never leaves the workstation. */
export function isLoopbackUrl(value: string): boolean {
  try {
    return LOOPBACK_HOSTS.has(new URL(value).hostname.toLowerCase());
  } catch {
    return false;
  }
}

/** https://, or http:// to this computer only; never with a user name or password in it. */
export function isSecureServiceUrl(value: string): boolean {
  try {
    const url = new URL(value);
    if (url.username !== '' || url.password !== '') return false;
    return url.protocol === 'https:' || (url.protocol === 'http:' && isLoopbackUrl(value));
  } catch {
    return false;
  }
}

/** A server we talk to: https, or http to this machine only; never with credentials in it. */
const ServiceUrl = z
  .url({ protocol: /^https?$/ })
  .max(2048)
  .refine(isSecureServiceUrl, 'must be an https:// URL without user name or password (http:// only for 127.0.0.1 or localhost)');

/** A full path: C:\..., \\server\share\... or /... (relative paths would depend on the working folder). */
const AbsolutePath = z
  .string()
  .min(1)
  .max(1024)
  .regex(/^(\/|[A-Za-z]:[\\/]|\\\\[^\\]+\\)/, 'must be a full path (C:\\..., \\\\server\\share\\... or /...)');

const HostName = z
  .string()
  .min(1)
  .max(253)
  .regex(/^([A-Za-z0-9-]+(\.[A-Za-z0-9-]+)*|\[[0-9A-Fa-f:.]+\])$/, 'must be a host name or IP address');

/** OAuth scope tokens (RFC 6749 §3.3), including the two sign-in needs to know who signed in. */
const SignInScope = z
  .string()
  .max(2048)
  .regex(/^[\x21\x23-\x5B\x5D-\x7E]+( [\x21\x23-\x5B\x5D-\x7E]+)*$/, 'must be scope names separated by single spaces')
  .refine((scope) => ['openid', 'fhirUser'].every((s) => scope.split(' ').includes(s)), 'must include openid and fhirUser');

/**
 * An HL7 v2 identity (MSH-3..6 namespace ids, PID-3.4): printable, no HL7 delimiter, so it never
 * needs escaping and an interface engine matches it exactly as IT typed it.
 */
const Hl7Name = z
  .string()
  .min(1)
  .max(180)
  .regex(
    /^[^\s|^~\\&\p{Cc}]([^|^~\\&\p{Cc}]*[^\s|^~\\&\p{Cc}])?$/u,
    'must not contain | ^ ~ \\ & or control characters, nor start or end with a space',
  );

const SemVer = z.string().regex(/^\d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?$/, 'must be a version such as 1.4.2');

const unique = <T>(items: readonly T[]) => new Set(items).size === items.length;

/** Every setting, with its type. `.meta` descriptions become the policy reference for IT. */
export const Settings = z.object({
  ehrRouting: EhrRouting.meta({
    description:
      'Where signed notes go: `fhir` (FHIR R4 transaction), `hl7v2` (MDM^T02 over MLLP), `file-drop` (files in a folder an EMR imports), or `fhir-then-hl7v2` (FHIR, falling back to HL7 v2).',
  }),
  fhirBaseUrl: ServiceUrl.nullable().meta({ description: 'FHIR R4 base URL of the EHR, e.g. `https://ehr.example.org/fhir/R4`.' }),
  fhirClientId: z
    .string()
    .min(1)
    .max(256)
    .nullable()
    .meta({ description: 'SMART Backend Services client id registered with the EHR for unattended write-back.' }),
  fhirTokenUrl: ServiceUrl.nullable().meta({
    description: "The EHR's OAuth 2.0 token endpoint (client_credentials with private_key_jwt).",
  }),
  fhirScope: z
    .string()
    .max(2048)
    .regex(/^[\x21\x23-\x5B\x5D-\x7E]+( [\x21\x23-\x5B\x5D-\x7E]+)*$/, 'must be scope names separated by single spaces')
    .nullable()
    .meta({
      description:
        'Scopes the write-back client asks for, space-separated, as registered with the EHR. `null`: writing and reading back DocumentReference, Condition and Provenance, and reading Encounter and Patient. Add `system/MedicationRequest.read` (and register it) to give transcription the active medication list of visits started from the schedule.',
    }),
  fhirPrivateKeyFile: AbsolutePath.nullable().meta({
    description:
      'Full path of the PEM or JWK private key that signs the client assertion. Keep the file readable only by the users who run the app.',
  }),
  ehrVendor: z.enum(['generic', 'epic', 'oracle', 'athena']).meta({
    description:
      "Whose write rules the EHR follows, beyond its CapabilityStatement (docs/ehr-vendors.md): `epic` (no Conditions are written: it takes no encounter diagnoses and new problems only as provisional; the diagnoses travel in the note's text), `oracle` (Provenance with one target and one agent), `athena` (FHIR is read-only: route notes over HL7 v2), `generic` (the CapabilityStatement alone decides).",
  }),
  fhirSignInClientId: z
    .string()
    .min(1)
    .max(256)
    .regex(/^[A-Za-z0-9._~:/@+-]+$/, 'must be a client id as the EHR issued it (letters, digits and . _ ~ : / @ + -)')
    .nullable()
    .meta({
      description:
        'SMART on FHIR client id for clinician sign-in: a public native-app registration (no client secret) with the redirect URI `http://127.0.0.1/callback` on any port (RFC 8252) and, for EHR launch, the launch URL `http://127.0.0.1:<fhirLaunchPort>/launch`. Sign-in uses `fhirBaseUrl` as the EHR.',
    }),
  fhirSignInScope: SignInScope.meta({
    description:
      'Scopes asked for at clinician sign-in, space-separated; must include `openid` and `fhirUser` (who signed in). Add `launch/patient` to pick a patient at standalone sign-in; an EHR launch adds `launch` itself. `offline_access` lets the session renew its token without asking the clinician again.',
  }),
  fhirLaunchPort: z.number().int().min(1024).max(65535).nullable().meta({
    description:
      'Port on 127.0.0.1 where the app takes EHR launches (`http://127.0.0.1:PORT/launch?iss=…&launch=…`); register that URL as the launch URL in the EHR. `null`: EHR launch is off.',
  }),
  mllpHost: HostName.nullable().meta({ description: 'HL7 v2 interface engine host for MLLP.' }),
  mllpPort: z.number().int().min(1).max(65535).meta({ description: 'HL7 v2 MLLP port.' }),
  mllpTls: z.boolean().meta({ description: 'Wrap MLLP in TLS. Turn off only on a network segment you trust.' }),
  hl7SendingApplication: Hl7Name.meta({
    description: 'MSH-3 sending application: how the interface engine knows this app (also the namespace of TXA-12).',
  }),
  hl7SendingFacility: Hl7Name.nullable().meta({ description: 'MSH-4 sending facility, e.g. the clinic. `null`: left empty.' }),
  hl7ReceivingApplication: Hl7Name.nullable().meta({
    description:
      "MSH-5 receiving application the interface engine routes on. Required with `mllpHost`; `null` with no `mllpHost` uses the sandbox EHR's.",
  }),
  hl7ReceivingFacility: Hl7Name.nullable().meta({
    description: "MSH-6 receiving facility. Required with `mllpHost`; `null` with no `mllpHost` uses the sandbox EHR's.",
  }),
  hl7PatientIdAuthority: Hl7Name.nullable().meta({
    description:
      "PID-3.4 assigning authority of the EHR's patient ids (its MRN namespace). Required with `mllpHost`; `null` with no `mllpHost` uses the sandbox EHR's.",
  }),
  hl7PatientIdType: z.enum(['MR', 'PI', 'PT', 'PN']).meta({
    description:
      "PID-3.5 identifier type of the EHR's patient id (HL7 table 0203): `PI` patient internal id (a FHIR Patient id), `MR` medical record number, `PT` patient external id, `PN` person number.",
  }),
  hl7ProcessingId: z
    .enum(['P', 'T', 'D'])
    .meta({ description: 'MSH-11 processing id: `P` production, `T` training (test systems), `D` debugging.' }),
  hl7DocumentTypes: Hl7DocumentTypes.meta({
    description:
      "TXA-2 document type per note template (`soap`, `history-physical`, `follow-up`) and for `addendum` (`null`: the original note's type), from HL7 table 0270 (user-defined: `PR` progress note, `HP` history and physical, `CN` consultation) or the codes the receiving EHR keeps. Give all four.",
  }),
  hl7ProviderIdAuthority: Hl7Name.nullable().meta({
    description:
      "XCN-9 assigning authority of the clinician ids in EVN-5, PV1-7 and TXA-5/9/10/22 (the EHR's provider namespace). `null`: the receiving application (`hl7ReceivingApplication`), which assigns the EHR's practitioner ids.",
  }),
  hl7ProviderIdType: Hl7ProviderIdType.meta({
    description:
      'XCN-13 identifier type of the clinician ids (HL7 table 0203): `PRN` provider number, `NPI` National Provider Identifier, `DN` doctor number, `EI` employee number.',
  }),
  fileDropFolder: AbsolutePath.nullable().meta({
    description: 'Folder for the `file-drop` route (a local or UNC path the EMR imports from).',
  }),
  transcriptionEngines: z
    .array(TranscriptionEngine)
    .max(TranscriptionEngine.options.length)
    .refine(unique, 'must not repeat an engine')
    .meta({
      description: 'Transcription engines that may run: `local` (Whisper on this machine) and/or `openai` (an OpenAI-compatible service).',
    }),
  draftingEngines: z.array(DraftingEngine).max(DraftingEngine.options.length).refine(unique, 'must not repeat an engine').meta({
    description: 'Note drafting engines that may run: `llm` (an OpenAI-compatible model) and/or `offline` (rule-based, on this machine).',
  }),
  audioMayLeaveDevice: z.boolean().meta({
    description:
      '`false` means audio never leaves this machine: transcription through a service that is not on this machine (127.0.0.1 / localhost) refuses to run, whatever `transcriptionEngines` says.',
  }),
  openaiBaseUrls: z.array(ServiceUrl).max(20).meta({
    description:
      'OpenAI-compatible base URLs the `openai` and `llm` engines may call (a request goes only to a URL on this list, or below it).',
  }),
  consentRequired: z.boolean().meta({ description: "Recording starts only after the patient's consent is confirmed in the app." }),
  globalShortcut: Accelerator.nullable().meta({
    description:
      "Keyboard shortcut that starts and stops recording while another program (the EHR) is in front, as an Electron accelerator with Ctrl/Cmd, Alt or Super, e.g. `CommandOrControl+Shift+Space`. `null`: no OS-wide shortcut (Ctrl+Shift+Space, ⌘ Shift Space on macOS, still works while the app's window is in front).",
  }),
  audioRetentionDays: z
    .number()
    .int()
    .min(0)
    .max(3650)
    .meta({ description: "Days a visit's audio is kept after the EHR confirmed the note (0: purge as soon as it is confirmed)." }),
  updatesDisabled: z.boolean().meta({
    description: 'Turn automatic updates off (for example when updates are deployed by MSI / Group Policy or a package repository).',
  }),
  updateServerUrl: ServiceUrl.nullable().meta({
    description:
      'Generic update server (the folder holding `latest.yml`, `latest-mac.yml` and the installers). No server: no update checks.',
  }),
  updateChannel: z
    .string()
    .regex(/^[a-z][a-z0-9-]{0,31}$/, 'must be a channel name such as latest or beta')
    .meta({ description: 'Update channel: the app reads `<channel>.yml` (Windows), `<channel>-mac.yml` (macOS) from the server.' }),
  updatePinnedVersion: SemVer.nullable().meta({
    description: 'Install only this version (never a newer one, never a downgrade). `null`: the newest version the channel offers.',
  }),
  updateInstallOnQuit: z.boolean().meta({
    description: 'Install a downloaded, signature-checked update when the app quits (never while a visit is being recorded).',
  }),
  signingRoles: z
    .array(PolicyRole)
    .min(1)
    .max(PolicyRole.options.length)
    .refine(unique, 'must not repeat a role')
    .meta({ description: 'Roles that may sign a note and send it to the EHR.' }),
  signerPractitioners: z
    .record(
      z.string().regex(/^[A-Za-z0-9._@\\-]{1,128}$/, 'must be a workstation account name'),
      z.string().regex(/^[A-Za-z0-9.-]{1,64}$/, "must be the EHR's Practitioner id"),
    )
    .refine((links) => Object.keys(links).length <= 5000, 'must link at most 5000 accounts')
    .meta({
      description:
        'Workstation account → the EHR Practitioner id it signs as, for clinicians who sign without signing in to the EHR (e.g. `{"jdoe": "12345"}`). A clinician signed in to the EHR always signs as the practitioner the EHR vouched for; an account with no link cannot sign until it signs in. Each id is checked with the EHR when it can be asked. Only an administrator or the machine policy can change it.',
    }),
  ehrUserRoles: z
    .record(
      z.string().regex(/^(Practitioner|PractitionerRole|Person)\/[A-Za-z0-9.-]{1,64}$/, 'must be a fhirUser such as Person/123'),
      PolicyRole,
    )
    .refine((roles) => Object.keys(roles).length <= 5000, 'must name at most 5000 users')
    .meta({
      description:
        'The role of someone who signs in with the EHR, by the fhirUser the EHR names them with (e.g. `{"Person/987": "scribe", "Practitioner/55": "scribe"}`). Without an entry, a Practitioner is a clinician and a Person or PractitionerRole is a scribe (docs/clinician-sign-in.md). Only an administrator or the machine policy can change it.',
    }),
  visitErasureRoles: z
    .array(z.enum(['clinician', 'admin']))
    .max(2)
    .refine(unique, 'must not repeat a role')
    .meta({
      description:
        "Roles that may erase a visit's local copy (audio, transcript, note, revisions, addenda, delivered outbox rows) for a patient's erasure request; notes already in the EHR stay there. Refused while a signed note has not reached the EHR. Empty: nobody (off). Only an administrator or the machine policy can change it.",
    }),
  demoEhrAllowed: z.boolean().meta({
    description:
      'Allow the demo EHR (synthetic patients, on this computer only): with no EHR configured, `npm start` and `npm run web` start it and connect to it. `false`: with no EHR configured there is none, and the schedule and delivery say so.',
  }),
  webBridgeAllowed: z
    .boolean()
    .meta({ description: 'Allow `scribe web` (the browser UI on 127.0.0.1 for development and tests). Installed builds never start it.' }),
  speechModelDownloadsAllowed: z.boolean().meta({
    description:
      'Allow "Install speech model" (and `scribe models install`) to download the pinned speech model. `false`: it is copied from `speechModelSharedFolder` instead, or not installed from the app at all.',
  }),
  speechModelMirrorUrl: ServiceUrl.nullable().meta({
    description:
      "Where the speech model is downloaded from: a mirror of the Hugging Face hub's file layout (`<url>/<model>/resolve/<revision>/<file>`), e.g. an Artifactory or Nexus remote. `null`: the public hub (https://huggingface.co). Every file is checked against its pinned SHA-256 whatever the source.",
  }),
  speechModelSharedFolder: AbsolutePath.nullable().meta({
    description:
      'A folder (local or UNC) holding a models folder fetched elsewhere (`npm run models:fetch -- --dir FOLDER`); used instead of downloading when set (downloads need not be allowed). Every file is checked against its pinned SHA-256.',
  }),
});
export type Settings = z.infer<typeof Settings>;
export type SettingKey = keyof Settings;
export const settingKeys = Object.keys(Settings.shape) as SettingKey[];

/** What an unmanaged workstation gets: private by default (audio stays, consent asked, clinicians sign). */
export const settingDefaults: Settings = {
  ehrRouting: 'fhir',
  fhirBaseUrl: null,
  fhirClientId: null,
  fhirTokenUrl: null,
  fhirScope: null,
  fhirPrivateKeyFile: null,
  ehrVendor: 'generic',
  fhirSignInClientId: null,
  fhirSignInScope: 'openid fhirUser offline_access user/*.read user/*.write',
  fhirLaunchPort: null,
  mllpHost: null,
  mllpPort: 2575,
  mllpTls: true,
  hl7SendingApplication: 'AMBIENT_SCRIBE',
  hl7SendingFacility: null,
  hl7ReceivingApplication: null,
  hl7ReceivingFacility: null,
  hl7PatientIdAuthority: null,
  hl7PatientIdType: 'PI',
  hl7ProcessingId: 'P',
  hl7DocumentTypes: DEFAULT_HL7_DOCUMENT_TYPES,
  hl7ProviderIdAuthority: null,
  hl7ProviderIdType: 'PRN',
  fileDropFolder: null,
  transcriptionEngines: ['local', 'openai'],
  draftingEngines: ['llm', 'offline'],
  audioMayLeaveDevice: false,
  openaiBaseUrls: ['https://api.openai.com/v1'],
  consentRequired: true,
  globalShortcut: DEFAULT_GLOBAL_SHORTCUT,
  audioRetentionDays: 7,
  updatesDisabled: false,
  updateServerUrl: null,
  updateChannel: 'latest',
  updatePinnedVersion: null,
  updateInstallOnQuit: false,
  signingRoles: ['clinician'],
  signerPractitioners: {},
  ehrUserRoles: {},
  visitErasureRoles: [],
  demoEhrAllowed: true,
  webBridgeAllowed: true,
  speechModelDownloadsAllowed: true,
  speechModelMirrorUrl: null,
  speechModelSharedFolder: null,
};

/** Values that point at key material: diagnostics report only whether they are set. */
export const secretSettingKeys: ReadonlySet<SettingKey> = new Set<SettingKey>(['fhirPrivateKeyFile']);

/**
 * The machine-wide policy file: any subset of the settings, nothing else. Unknown keys are errors,
 * not ignored: a misspelt lock that silently locks nothing would fail open.
 */
export const PolicyFile = z.strictObject({
  $schema: z.string().optional().meta({ description: 'Optional: the JSON Schema URL or path, for editors.' }),
  ...Settings.partial().shape,
});
export type PolicyFile = z.infer<typeof PolicyFile>;
export type PolicyValues = Partial<Settings>;

/** A change to one or more settings; a key that is not a setting is refused. */
export const SettingsUpdate = z
  .strictObject(Settings.partial().shape)
  .refine((update) => Object.keys(update).length > 0, 'name at least one setting to change');
export type SettingsUpdate = z.infer<typeof SettingsUpdate>;

type EffectiveShape = {
  [K in SettingKey]: z.ZodObject<{ value: (typeof Settings.shape)[K]; source: typeof SettingSource; locked: z.ZodBoolean }>;
};

function effectiveShape(): EffectiveShape {
  const shape: Partial<Record<SettingKey, z.ZodType>> = {};
  for (const key of settingKeys) shape[key] = z.object({ value: Settings.shape[key], source: SettingSource, locked: z.boolean() });
  return shape as EffectiveShape;
}

/** Each setting's value, where it came from, and whether policy locks it. */
export const EffectiveSettings = z.object(effectiveShape());
export type EffectiveSettings = z.infer<typeof EffectiveSettings>;
export type EffectiveSetting<K extends SettingKey = SettingKey> = EffectiveSettings[K];

export const SettingsView = z.object({
  settings: EffectiveSettings,
  /** The machine policy in force: where it was read from, and which settings it locks. */
  policy: z.object({ file: z.string().nullable(), locked: z.array(z.string()) }),
});
export type SettingsView = z.infer<typeof SettingsView>;

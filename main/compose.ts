import { createDispatcher } from './api/dispatch.js';
import type { Dispatch } from './api/dispatch.js';
import { createEventBus } from './kernel/event-bus.js';
import type { EventBus } from './kernel/event-bus.js';
import { createHandlers } from './api/handlers.js';
import { createAuditLog } from './audit/audit-log.js';
import type { AuditLog } from './audit/audit-log.js';
import { createTerminologyService } from './coding/terminology-service.js';
import type { TerminologyService } from './coding/terminology-service.js';
import { createSqliteTerminologyRepository } from './coding/terminology-repository.js';
import type { Logger } from './log/logger.js';
import { nullLogger } from './log/logger.js';
import type { LoadedPolicy } from './policy/policy-file.js';
import { noPolicy } from './policy/policy-file.js';
import { createPolicyGate } from './policy/policy-gate.js';
import type { PolicyGate } from './policy/policy-gate.js';
import { createSettingsService } from './policy/settings-service.js';
import type { SettingsService } from './policy/settings-service.js';
import { appIdentity } from './kernel/app-identity.js';
import type { Clock } from './store/clock.js';
import type { KeyProvider } from './store/key-provider.js';
import { LATEST_SCHEMA_VERSION } from './store/migrations/index.js';
import { openStore } from './store/store.js';
import type { OpenMode, Store } from './store/store.js';
import { createSqliteVisitRepository } from './store/visit-repository.js';
import { createVisitLifecycle } from './visits/lifecycle.js';
import { createVisitService } from './visits/visit-service.js';
import { createVisitEncounterIndex } from './store/visit-encounter-index.js';
import { createEhrConnections } from './ehr/ehr-connection.js';
import { createEhrService } from './ehr/ehr-service.js';
import { createVisitPipeline } from './visits/visit-pipeline.js';
import type { VisitPipeline } from './visits/visit-pipeline.js';
import { createSqliteNoteRepository } from './notes/note-repository.js';
import { createNoteService } from './notes/note-service.js';
import { systemClock } from './store/clock.js';
import type { OutboxRoute } from '../shared/domain/outbox.js';
import type { Deliverers } from './writeback/router.js';
import type { BackoffPolicy } from './writeback/backoff.js';
import { settingsDeliverers } from './writeback/settings-deliverers.js';
import { createConnectionTester } from './writeback/connection-test/connection-tester.js';
import { createSqliteOutboxRepository } from './writeback/outbox-repository.js';
import { createOutboxWorker } from './writeback/outbox-worker.js';
import type { OutboxWorker } from './writeback/outbox-worker.js';
import { createWritebackService } from './writeback/writeback-service.js';
import { createAddendumService } from './notes/addendum-service.js';
import { createSigningService } from './signing/signing-service.js';
import { createSignerResolver } from './signing/signer-resolution.js';
import { mappedSigner } from './signing/mapped-signer.js';
import { createWhoAmI } from './auth/who-am-i.js';
import { createPractitionerDirectory } from './ehr/practitioner-directory.js';
import { createSqliteAddendumRepository } from './notes/addendum-repository.js';
import { createCaptureService } from './capture/capture-service.js';
import type { CaptureService } from './capture/capture-service.js';
import { loadSileroVad } from './capture/silero-vad.js';
import { findSileroModel } from './capture/vad-model-path.js';
import { createVadProvider } from './capture/vad-provider.js';
import type { VadProvider } from './capture/vad-provider.js';
import { createSqliteAudioRepository } from './store/audio-repository.js';
import { createSqliteConsentRepository } from './store/consent-repository.js';
import { codeValidatorFrom } from './coding/code-validator.js';
import type { CodeValidator } from './coding/code-validator.js';
import { createDraftingService } from './drafting/drafting-service.js';
import type { LlmConfigResult } from './drafting/llm/llm-config.js';
import { createSqliteTranscriptRepository } from './transcripts/transcript-repository.js';
import { createTranscriptService } from './transcripts/transcript-service.js';
import type { TranscriptService } from './transcripts/transcript-service.js';
import type { TranscriptionService } from './asr/transcription-service.js';
import type { TranscriptionOptions } from './asr/transcription-setup.js';
import { setUpTranscription } from './asr/transcription-setup.js';
import type { ModelInstaller } from './asr/model-install.js';
import type { ModelInstallOverrides } from './asr/model-install-setup.js';
import { setUpModelInstall } from './asr/model-install-setup.js';
import { createAuthService } from './auth/auth-service.js';
import type { AuthService, AuthServiceOptions } from './auth/auth-service.js';
import { noSystemBrowser } from './auth/browser-url.js';
import { signInConfigFrom } from './auth/sign-in-config.js';
import type { DesktopShell } from './api/desktop-shell.js';
import { demoEhrTargets } from './sandbox/demo-targets.js';
import type { EmbeddedDemoEhr } from './sandbox/embedded-demo-ehr.js';
import { namesNoEhr } from './sandbox/embedded-demo-ehr.js';
import { DEMO_EHR_LABEL } from '../shared/domain/demo-ehr.js';
import type { DefaultTargets } from './writeback/default-targets.js';
import { createSqliteRetentionRepository } from './retention/retention-repository.js';
import { createRetentionService } from './retention/retention-service.js';
import type { RetentionService } from './retention/retention-service.js';
import { createVisitErasure } from './retention/visit-erasure.js';
import { createPageScrubber } from './retention/page-scrubber.js';
import { scrubDeletedPages } from './store/wal-scrub.js';

export interface ScribeOptions {
  readonly dataDir: string;
  readonly keyProvider: KeyProvider;
  readonly mode?: OpenMode;
  readonly logger?: Logger;
  readonly clock?: Clock;
  /** Who opened the store, for the audit record of a new store. */
  readonly actorId?: string;
  /** Where signed notes go, and the targets that can take them. */
  readonly writeback?: {
    readonly route: OutboxRoute;
    readonly deliverers: Deliverers;
    readonly leaseMs?: number;
    readonly backoff?: BackoffPolicy;
  };
  /** The machine policy, loaded by the caller before anything else (main/policy/machine-policy.ts); none when absent. */
  readonly policy?: LoadedPolicy;
  /** The voice-activity model; by default Silero VAD from the installed package, loaded on first use. */
  readonly vad?: VadProvider;
  /**
   * Note drafting: where the language model is (read at each draft; the CLI passes its environment
   * through llmConfigFromEnv), and the code check for model-proposed codes (default: the code set in use).
   */
  readonly drafting?: { readonly llmConfig?: () => LlmConfigResult; readonly validateCode?: CodeValidator };
  /** Transcription engines (models folder, OpenAI-compatible service) and live transcription. */
  readonly transcription?: TranscriptionOptions;
  /** Tests: the speech model installer's pinned model, network and disk. */
  readonly speechModel?: ModelInstallOverrides;
  /** Clinician sign-in: the system browser (Electron's shell in the app), and overrides for tests. */
  readonly auth?: Partial<Pick<AuthServiceOptions, 'openBrowser' | 'config' | 'fetch' | 'signInTimeoutMs' | 'requestTimeoutMs' | 'keySet'>>;
  /** Where notes go and the schedule is read when the settings name no EHR; by default the demo (sandbox) EHR. */
  readonly defaultTargets?: DefaultTargets;
  /** The Electron shell's global shortcut and window (main/app/main.ts); none for the CLI and the web bridge. */
  readonly desktop?: DesktopShell;
  /** The demo EHR the host started in its own process: schedule, delivery and sign-in use it while the settings name no EHR. */
  readonly demoEhr?: EmbeddedDemoEhr;
}

/** Every service, wired once: the composition root shared by Electron, the CLI and the web bridge. */
export interface Scribe {
  readonly store: Store;
  readonly audit: AuditLog;
  readonly events: EventBus;
  readonly dispatch: Dispatch;
  readonly outboxWorker: OutboxWorker;
  /** Effective settings (defaults, the user's choices, the machine policy's locks). */
  readonly settings: SettingsService;
  /** What services ask before acting: engines, audio leaving the device, consent, signing, retention. */
  readonly policy: PolicyGate;
  /** Recording, import and export of visit audio. */
  readonly capture: CaptureService;
  /** The ICD-10-CM code set in use: import, search, validation, suggestions. */
  readonly terminology: TerminologyService;
  /** Visit transcripts: transcription engines append segments here and finalise them. */
  readonly transcripts: TranscriptService;
  /** Speech to text: local Whisper or an OpenAI-compatible service, live or after the visit. */
  readonly transcription: TranscriptionService;
  /** Installs the pinned speech model into the folder the local engine loads from. */
  readonly speechModel: ModelInstaller;
  /** Clinician sign-in (SMART on FHIR): the signed-in practitioner is the app's actor where there is one. */
  readonly auth: AuthService;
  /** Drafts a recorded visit's note once its transcript is final; hosts that keep running (app, `scribe web`) start it. */
  readonly pipeline: VisitPipeline;
  /** Audio retention (`audioRetentionDays`): hosts that keep running (app, `scribe web`) start it; `scribe retention run` runs it once. */
  readonly retention: RetentionService;
  close(): void;
}

export function openScribe(options: ScribeOptions): Scribe {
  const logger = options.logger ?? nullLogger;
  const store = openStore({
    dataDir: options.dataDir,
    keyProvider: options.keyProvider,
    mode: options.mode ?? 'open',
    clock: options.clock,
  });
  const audit = createAuditLog(store);
  if (store.created) audit.append({ actor: options.actorId ?? 'system', action: 'store.created', objectType: 'store', objectId: 'local' });
  const events = createEventBus();
  const settings = createSettingsService({
    dataDir: options.dataDir,
    policy: options.policy ?? noPolicy,
    store,
    audit,
    logger,
    onChanged: (keys) => events.emit('settings:changed', { keys: [...keys] }),
  });
  const policy = createPolicyGate(settings);
  const clock = options.clock ?? systemClock;
  const demo = options.demoEhr;
  // Without a demo EHR in this process, a `scribe sandbox` on its default ports, unless the policy forbids the demo EHR.
  const defaultTargets =
    options.defaultTargets ?? demo?.targets ?? (settings.values().demoEhrAllowed ? demoEhrTargets(options.dataDir) : {});
  const demoInUse = () => demo !== undefined && namesNoEhr(settings.values());
  const visitRecords = createSqliteVisitRepository(store);
  // Every committed state change, by any service, reaches the UI as visit:changed from this one place.
  const lifecycle = createVisitLifecycle({ store, onStateChanged: (visitId, state) => events.emit('visit:changed', { visitId, state }) });
  const encounterIndex = createVisitEncounterIndex(store);
  const visits = createVisitService({ store, visits: visitRecords, lifecycle, audit, events, encounters: encounterIndex });
  const terminology = createTerminologyService({ store, releases: createSqliteTerminologyRepository(store), audit, logger });
  const validateCode = options.drafting?.validateCode ?? codeValidatorFrom((code) => terminology.validate(code));
  const noteRepository = createSqliteNoteRepository(store);
  const transcriptRepository = createSqliteTranscriptRepository(store);
  const notes = createNoteService({
    store,
    notes: noteRepository,
    visits: visitRecords,
    transcripts: transcriptRepository,
    validateCode,
    lifecycle,
    audit,
    events,
  });
  const outbox = createSqliteOutboxRepository(store);
  // Tests and tools pass their own targets; otherwise they follow the settings (the sandbox by default).
  const writebackConfig = options.writeback;
  const outboxWorker = createOutboxWorker({
    store,
    outbox,
    lifecycle,
    audit,
    events,
    deliverers: writebackConfig?.deliverers ?? settingsDeliverers(settings, events, { defaults: defaultTargets, logger, clock }),
    logger,
    clock,
    leaseMs: writebackConfig?.leaseMs,
    backoff: writebackConfig?.backoff,
  });
  const writeback = createWritebackService({ store, outbox, worker: outboxWorker, lifecycle, audit, events });
  const addendumRepository = createSqliteAddendumRepository(store);
  const addenda = createAddendumService({
    store,
    notes: noteRepository,
    addenda: addendumRepository,
    visits: visitRecords,
    outbox,
    audit,
    events,
  });
  const vad = options.vad ?? createVadProvider(() => loadSileroVad(findSileroModel()), logger);
  const capture = createCaptureService({
    store,
    visits: visitRecords,
    lifecycle,
    audio: createSqliteAudioRepository(store),
    consents: createSqliteConsentRepository(store),
    audit,
    events,
    logger,
    vad,
    requireConsent: policy.consentRequired,
  });
  // A recording whose process died shows as interrupted from the first screen on.
  capture.recoverInterrupted();
  const transcripts = createTranscriptService({
    store,
    transcripts: transcriptRepository,
    visits: visitRecords,
    lifecycle,
    audit,
    events,
  });
  const drafting = createDraftingService({
    visits: visitRecords,
    transcripts,
    notes,
    noteRepository,
    audit,
    logger,
    llmConfig: options.drafting?.llmConfig,
    validateCode,
    suggestCodes: (input) => terminology.suggest(input),
    assertEngineAllowed: (engine, baseUrl) =>
      policy.assertEngineAllowed('drafting', engine, baseUrl === undefined ? undefined : { baseUrl }),
  });
  const transcription = setUpTranscription({
    options: options.transcription,
    store,
    visits: visitRecords,
    lifecycle,
    audio: createSqliteAudioRepository(store),
    capture,
    transcripts,
    audit,
    events,
    logger,
    policy,
  });
  const speechModel = setUpModelInstall({
    transcription: options.transcription,
    overrides: options.speechModel,
    settings,
    events,
    logger,
  });
  const auth = createAuthService({
    config: () => {
      const config = signInConfigFrom(settings.values());
      return demo && config.fhirBaseUrl === null
        ? { ...config, ...demo.signIn, clientId: config.clientId ?? demo.signIn.clientId }
        : config;
    },
    openBrowser: noSystemBrowser,
    ...options.auth,
    audit,
    logger,
    onChanged: (change) => events.emit('auth:changed', change),
  });
  const pipeline = createVisitPipeline({
    events,
    visits: visitRecords,
    lifecycle,
    resumeTranscription: (visitId) => transcription.resume(visitId),
    transcripts,
    notes: noteRepository,
    drafting,
    audit,
    logger,
  });
  events.on('settings:changed', ({ keys }) => auth.settingsChanged(keys));
  const ehrConnections = createEhrConnections({ settings: () => settings.values(), defaultTarget: defaultTargets.fhir, auth });
  events.on('settings:changed', () => ehrConnections.reset());
  const practitionerDirectory = createPractitionerDirectory(() => ehrConnections.current(), logger);
  const signing = createSigningService({
    store,
    notes: noteRepository,
    addenda: addendumRepository,
    visits: visitRecords,
    lifecycle,
    outbox,
    transcripts: transcriptRepository,
    validateCode,
    audit,
    events,
    clock,
    route: () => writebackConfig?.route ?? settings.values().ehrRouting,
    maySign: policy.maySign,
    resolveSigner: createSignerResolver({
      mappedPractitioner: (account) => mappedSigner(settings.values(), account, defaultTargets.demoSigner),
      lookup: practitionerDirectory,
    }),
  });
  const ehr = createEhrService({
    connection: () => ehrConnections.current(),
    visits,
    visitRepository: visitRecords,
    encounters: encounterIndex,
    audit,
    clock,
    logger,
  });
  const retentionRecords = createSqliteRetentionRepository(store);
  const scrubber = createPageScrubber(() => scrubDeletedPages(store));
  const retention = createRetentionService({
    store,
    audio: createSqliteAudioRepository(store),
    records: retentionRecords,
    audit,
    logger,
    clock,
    retentionDays: policy.retentionDays,
    scrubber,
  });
  const erasure = createVisitErasure({
    store,
    records: retentionRecords,
    audit,
    events,
    logger,
    clock,
    assertMayErase: policy.assertMayErase,
    transcribing: (visitId) => ['running', 'following'].includes(transcription.status(visitId).state),
    scrubber,
  });
  const handlers = createHandlers({
    app: { ...appIdentity, schemaVersion: LATEST_SCHEMA_VERSION },
    visits,
    audit,
    terminology,
    notes,
    writeback,
    addenda,
    signing,
    settings,
    capture,
    transcripts,
    drafting,
    transcription,
    speechModel,
    auth,
    whoAmI: createWhoAmI({
      auth,
      settings: () => settings.values(),
      maySign: policy.maySign,
      demoSigner: defaultTargets.demoSigner,
      demoEhrInUse: demoInUse,
      lookup: practitionerDirectory,
    }),
    pipeline,
    ehr,
    desktop: options.desktop,
    demoEhr: demo && {
      status: () => ({ inUse: demoInUse(), label: DEMO_EHR_LABEL }),
      received: async () => ({ inUse: demoInUse(), documents: demoInUse() ? await demo.received() : [] }),
    },
    erasure,
    connectionTester: createConnectionTester({ settings: () => settings.values(), defaults: defaultTargets, audit, logger, clock }),
  });
  const dispatch = createDispatcher(handlers, logger);
  logger.info('store.opened', { created: store.created, schemaVersion: LATEST_SCHEMA_VERSION });
  if (settings.policy.sha256 !== null)
    logger.info('policy.applied', { policySha256: settings.policy.sha256, count: settings.view().policy.locked.length });
  return {
    store,
    audit,
    events,
    dispatch,
    outboxWorker,
    settings,
    policy,
    capture,
    terminology,
    transcripts,
    transcription,
    speechModel,
    auth,
    pipeline,
    retention,
    close: () => {
      void auth.close();
      // Stops listening at once; a draft under way fails harmlessly and is made again at the next start.
      void pipeline.stop();
      // Stops runs before the store closes under them; the Whisper worker ends on its own.
      void transcription.close();
      void speechModel.close();
      void outboxWorker.stop();
      void retention.stop();
      // Stops the voice-activity followers synchronously before the store closes under them.
      void capture.close().then(() => (options.vad ? undefined : vad.release()));
      store.close();
    },
  };
}

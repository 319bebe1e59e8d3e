import type { AppInfo } from '../../shared/api/contract.js';
import type { AuditLog } from '../audit/audit-log.js';
import type { TerminologyService } from '../coding/terminology-service.js';
import type { CaptureService } from '../capture/capture-service.js';
import type { NoteService } from '../notes/note-service.js';
import type { SettingsService } from '../policy/settings-service.js';
import type { VisitService } from '../visits/visit-service.js';
import type { EhrService } from '../ehr/ehr-service.js';
import type { VisitPipeline } from '../visits/visit-pipeline.js';
import type { WritebackService } from '../writeback/writeback-service.js';
import type { AddendumService } from '../notes/addendum-service.js';
import type { SigningService } from '../signing/signing-service.js';
import type { DraftingService } from '../drafting/drafting-service.js';
import type { TranscriptService } from '../transcripts/transcript-service.js';
import type { TranscriptionService } from '../asr/transcription-service.js';
import type { ModelInstaller } from '../asr/model-install.js';
import type { HandlerTable } from './dispatch.js';
import type { AuthService } from '../auth/auth-service.js';
import type { Identity } from '../../shared/domain/identity.js';
import type { Actor } from '../kernel/actor.js';
import type { ConnectionTester } from '../writeback/connection-test/connection-tester.js';
import { readAudioRange } from '../capture/audio-range.js';
import { auditPage } from '../audit/audit-page.js';
import type { DesktopShell } from './desktop-shell.js';
import { noDesktopShell } from './desktop-shell.js';
import { auditExportForbidden } from '../audit/audit-errors.js';
import type { VisitErasure } from '../retention/visit-erasure.js';
import type { DemoEhrPort } from './demo-ehr-port.js';
import { noDemoEhr } from './demo-ehr-port.js';

export interface HandlerDeps {
  readonly app: { readonly name: string; readonly version: string; readonly schemaVersion: number };
  readonly visits: VisitService;
  readonly audit: AuditLog;
  readonly terminology: TerminologyService;
  readonly notes: NoteService;
  readonly writeback: WritebackService;
  readonly addenda: AddendumService;
  readonly signing: SigningService;
  readonly settings: SettingsService;
  readonly capture: CaptureService;
  readonly transcripts: TranscriptService;
  readonly drafting: DraftingService;
  readonly transcription: TranscriptionService;
  /** Installs the pinned speech model from the configured source. */
  readonly speechModel: ModelInstaller;
  readonly auth: AuthService;
  /** Who the caller is and whether they may sign (main/auth/who-am-i.ts). */
  readonly whoAmI: (actor: Actor) => Promise<Identity>;
  readonly connectionTester: ConnectionTester;
  readonly ehr: EhrService;
  readonly pipeline: Pick<VisitPipeline, 'status'>;
  /** A patient's erasure request: the visit's local copy goes (policy permitting). */
  readonly erasure: VisitErasure;
  /** The Electron shell's global shortcut and window; absent for the web bridge and the CLI. */
  readonly desktop?: DesktopShell;
  /** The demo EHR the host started (no EHR configured); absent otherwise. */
  readonly demoEhr?: DemoEhrPort;
}

/** The one handler table every transport serves. Handlers receive validated requests. */
export function createHandlers({
  app,
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
  whoAmI,
  pipeline,
  ehr,
  connectionTester,
  erasure,
  desktop = noDesktopShell,
  demoEhr = noDemoEhr,
}: HandlerDeps): HandlerTable {
  return {
    'app:info': (_request, ctx): AppInfo => ({ ...app, transport: ctx.transport, user: { id: ctx.actor.id, role: ctx.actor.role } }),
    'app:globalShortcut': () => desktop.globalShortcutStatus(),
    'app:raiseWindow': () => ({ raised: desktop.raiseWindow() }),
    'auth:status': () => auth.status(),
    // In the browser mode the page opens the EHR's sign-in page itself: it runs in the system browser.
    'auth:signIn': (request, ctx) => auth.signIn(request, { openInPage: ctx.transport === 'web' }),
    'auth:whoami': (_request, ctx) => whoAmI(ctx.actor),
    'auth:cancel': () => auth.cancel(),
    'auth:signOut': () => auth.signOut(),
    'visit:create': (request, ctx) => visits.create(request, ctx.actor),
    'visit:list': (request) => ({ visits: visits.list(request) }),
    'visit:get': (request, ctx) => visits.get(request.id, ctx.actor),
    'ehr:schedule': (request, ctx) => ehr.schedule(request, ctx.actor),
    'ehr:patientSearch': (request, ctx) => ehr.searchPatients(request, ctx.actor),
    'ehr:startVisit': (request, ctx) => ehr.startVisit(request.encounterId, ctx.actor),
    'ehr:createVisitForPatient': (request, ctx) => ehr.createVisitForPatient(request, ctx.actor),
    'ehr:openPatientVisit': (request, ctx) => ehr.openPatientVisit(request.patientId, ctx.actor),
    'ehr:demoStatus': () => demoEhr.status(),
    'ehr:demoReceived': () => demoEhr.received(),
    'audit:verify': () => audit.verify(),
    'icd:search': (request) => terminology.search(request),
    'icd:validate': (request) => terminology.validate(request.code),
    'terminology:info': () => terminology.info(),
    'note:get': (request, ctx) => ({ ...notes.get(request.visitId, ctx.actor), addenda: addenda.list(request.visitId) }),
    'note:addendum': (request, ctx) => addenda.save(request, ctx.actor),
    'visit:signAddendum': (request, ctx) => signing.signAddendum(request.visitId, request.revision, ctx.actor),
    'note:save': (request, ctx) => notes.save(request.visitId, request.baseRevision, request.note, ctx.actor),
    'visit:sign': (request, ctx) =>
      signing.signNote(request.visitId, request.revision, ctx.actor, { acknowledgeUnsupported: request.acknowledgeUnsupported }),
    'outbox:list': () => ({ jobs: writeback.list() }),
    'outbox:retry': (request, ctx) => writeback.retry(request.jobId, ctx.actor),
    'outbox:confirm': (request, ctx) => writeback.confirm(request.jobId, request.delivered, ctx.actor),
    'outbox:run': () => writeback.runNow(),
    'settings:get': () => settings.view(),
    'settings:update': (request, ctx) => settings.update(request, ctx.actor),
    'models:status': () => speechModel.status(),
    'models:install': (request) => speechModel.start(request),
    'models:cancel': () => speechModel.cancel(),
    'ehr:testConnection': (_request, ctx) => connectionTester.test(ctx.actor),
    'visit:recordConsent': (request, ctx) => capture.recordConsent(request, ctx.actor),
    'capture:start': (request, ctx) => capture.start(request.visitId, ctx.actor),
    'capture:append': (request) => capture.append(request),
    'capture:pause': (request, ctx) => capture.pause(request.visitId, ctx.actor),
    'capture:resume': (request, ctx) => capture.resume(request.visitId, ctx.actor),
    'capture:stop': (request, ctx) => capture.stop(request.visitId, ctx.actor),
    'capture:recover': (request, ctx) => capture.recover(request.visitId, request.action, ctx.actor),
    'capture:status': (request) => capture.status(request.visitId),
    'capture:segments': (request) => capture.segments(request.visitId, request.afterIndex),
    'transcript:get': (request, ctx) => transcripts.get(request.visitId, ctx.actor),
    'transcript:import': (request, ctx) => transcripts.import(request.visitId, request, ctx.actor),
    'visit:draft': (request, ctx) => drafting.draft(request, ctx.actor),
    'visit:transcribe': (request, ctx) => transcription.transcribe(request.visitId, request.engine, ctx.actor),
    'transcription:status': (request) => transcription.status(request.visitId),
    'transcription:cancel': (request, ctx) => transcription.cancel(request.visitId, ctx.actor),
    'audio:range': (request, ctx) => readAudioRange(capture, request.visitId, request.fromMs, request.toMs, ctx.actor),
    'visit:markReady': (request, ctx) => visits.markReady(request.visitId, ctx.actor),
    'visit:autoDraftStatus': (request) => pipeline.status(request.visitId),
    'visit:erase': (request, ctx) => erasure.erase(request.visitId, ctx.actor),
    'audit:export': (request, ctx) => {
      if (ctx.actor.role === 'scribe') throw auditExportForbidden();
      if (request.afterSeq === 0)
        audit.append({ actor: ctx.actor.id, action: 'audit.exported', objectType: 'audit_log', objectId: 'local' });
      return auditPage(audit, request.afterSeq, request.limit);
    },
  };
}

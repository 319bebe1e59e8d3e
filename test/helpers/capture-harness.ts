import { existsSync, readFileSync } from 'node:fs';
import type { CaptureService } from '../../main/capture/capture-service.js';
import { createCaptureService } from '../../main/capture/capture-service.js';
import type { VadProvider } from '../../main/capture/vad-provider.js';
import { noVad } from '../../main/capture/vad-provider.js';
import { openScribe } from '../../main/compose.js';
import type { Scribe } from '../../main/compose.js';
import type { Logger } from '../../main/log/logger.js';
import { createSqliteAudioRepository } from '../../main/store/audio-repository.js';
import type { TrackOwner } from '../../main/store/audio-repository.js';
import { createSqliteConsentRepository } from '../../main/store/consent-repository.js';
import { createPassphraseKeyProvider } from '../../main/store/passphrase-key-provider.js';
import { createSqliteVisitRepository } from '../../main/store/visit-repository.js';
import { createVisitLifecycle } from '../../main/visits/lifecycle.js';
import type { Visit } from '../../shared/domain/visit.js';
import type { VisitId } from '../../shared/ids.js';
import { FAST_SCRYPT, SENTINEL, tempDir } from './temp-store.js';
import type { ApiError } from '../../shared/api/errors.js';

export const CAPTURE_PASSPHRASE = 'capture test passphrase';
export const clinician = { id: 'dr-capture', role: 'clinician' } as const;
export const cliCtx = { transport: 'cli', actor: clinician } as const;

/** Log lines kept in memory, to assert that no PHI reaches them. */
export function memoryLogger(): Logger & { readonly lines: string[] } {
  const lines: string[] = [];
  const write =
    (level: string) =>
    (event: string, fields: Record<string, unknown> = {}) =>
      lines.push(JSON.stringify({ level, event, ...fields }));
  return { lines, info: write('info'), warn: write('warn'), error: write('error') };
}

export interface CaptureHarness {
  readonly dir: string;
  readonly scribe: Scribe;
  readonly logger: ReturnType<typeof memoryLogger>;
  call<T = unknown>(channel: string, request: unknown): Promise<T>;
  /** The error a call fails with (the test fails if it succeeds). */
  fail(channel: string, request: unknown): Promise<ApiError>;
  newVisit(options?: { consent?: boolean }): Promise<Visit>;
  /** A second capture service on the same store, as another process would have. */
  otherService(options: {
    owner?: TrackOwner;
    leaseMs?: number;
    isProcessAlive?: (pid: number) => boolean;
    vad?: VadProvider;
    requireConsent?: () => boolean;
  }): CaptureService;
  reopen(options?: { vad?: VadProvider }): CaptureHarness;
  storeBytes(): Buffer[];
  cleanup(): void;
}

export function openCaptureHarness(options: { vad?: VadProvider; dir?: string } = {}): CaptureHarness {
  const tmp = options.dir ? { dir: options.dir, cleanup: () => undefined } : tempDir('scribe-capture-');
  const logger = memoryLogger();
  const scribe = openScribe({
    dataDir: tmp.dir,
    keyProvider: createPassphraseKeyProvider(CAPTURE_PASSPHRASE, FAST_SCRYPT),
    mode: options.dir ? 'open' : 'create',
    logger,
    vad: options.vad ?? noVad,
  });
  const harness: CaptureHarness = {
    dir: tmp.dir,
    scribe,
    logger,
    async call<T>(channel: string, request: unknown): Promise<T> {
      const result = await scribe.dispatch(channel, request, cliCtx);
      if (!result.ok) throw new Error(`${channel} failed: ${result.error.code} ${result.error.message}`);
      return result.value as T;
    },
    async fail(channel, request) {
      const result = await scribe.dispatch(channel, request, cliCtx);
      if (result.ok) throw new Error(`${channel} succeeded but should have failed`);
      return result.error;
    },
    async newVisit({ consent = true } = {}) {
      const visit = await harness.call<Visit>('visit:create', {
        patientId: SENTINEL.patientId,
        patient: { displayName: SENTINEL.name, mrn: SENTINEL.mrn },
      });
      if (consent) await harness.call('visit:recordConsent', { visitId: visit.id, method: 'verbal' });
      return visit;
    },
    otherService({ owner, leaseMs, isProcessAlive, vad, requireConsent }) {
      const { store } = scribe;
      const visits = createSqliteVisitRepository(store);
      const lifecycle = createVisitLifecycle({ store });
      return createCaptureService({
        store,
        visits,
        lifecycle,
        audio: createSqliteAudioRepository(store),
        consents: createSqliteConsentRepository(store),
        audit: scribe.audit,
        events: scribe.events,
        logger,
        vad: vad ?? noVad,
        owner,
        leaseMs,
        isProcessAlive,
        requireConsent,
      });
    },
    reopen(reopenOptions = {}) {
      scribe.close();
      return openCaptureHarness({ ...reopenOptions, dir: tmp.dir });
    },
    storeBytes() {
      const db = `${tmp.dir}/scribe.db`;
      return [db, `${db}-wal`].filter((f) => existsSync(f)).map((f) => readFileSync(f));
    },
    cleanup() {
      scribe.close();
      tmp.cleanup();
    },
  };
  return harness;
}

export const asVisitId = (id: string) => id as VisitId;

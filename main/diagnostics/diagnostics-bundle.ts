import { writeFileSync } from 'node:fs';
import { strToU8, zipSync } from 'fflate';
import type { AuditVerifyReport } from '../../shared/domain/audit.js';
import type { SettingsView } from '../../shared/domain/policy.js';
import { secretSettingKeys, settingKeys } from '../../shared/domain/policy.js';
import type { PolicyProblem } from '../policy/errors.js';
import type { LogTail } from './log-tail.js';

/** What the store could tell, or why it could not be opened (the bundle is most needed when it cannot). */
export type StoreDiagnostics =
  | {
      readonly available: true;
      readonly schemaVersion: number;
      readonly audit: AuditVerifyReport;
      readonly tables: Readonly<Record<string, number>>;
      readonly visitsByState: Readonly<Record<string, number>>;
    }
  | { readonly available: false; readonly code: string };

export interface DiagnosticsInput {
  readonly app: { readonly name: string; readonly version: string };
  readonly platform: {
    readonly os: string;
    readonly release: string;
    readonly arch: string;
    readonly node: string;
    readonly electron?: string;
  };
  readonly createdAt: Date;
  readonly schemaVersion: number;
  /** Effective settings, or the problems of a machine policy that stopped the app. */
  readonly settings: SettingsView | null;
  readonly policyProblems: readonly PolicyProblem[];
  readonly store: StoreDiagnostics;
  readonly logs: LogTail;
}

/** Settings as support may see them: key material reported only as set or not set. */
export function settingsForSupport(view: SettingsView): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const key of settingKeys) {
    const entry = view.settings[key];
    const value = secretSettingKeys.has(key) ? (entry.value === null ? '(not set)' : '(set)') : entry.value;
    out[key] = { value, source: entry.source, locked: entry.locked };
  }
  return out;
}

const json = (value: unknown) => strToU8(`${JSON.stringify(value, null, 2)}\n`);

const README = `Ambient Scribe diagnostics bundle

manifest.json   app version, platform, store schema version, when this was made
settings.json   effective settings, where each came from (default, user, policy) and whether it is locked;
                key material only as (set) / (not set)
store.json      audit log verification summary and row counts (no record contents)
logs.jsonl      the most recent log lines, passed through the redaction layer again

Nothing in this bundle holds patient data: no names, identifiers, dates of birth, transcripts or notes.
`;

/** The files of a bundle, by name. Pure: the tests read exactly what would be zipped. */
export function diagnosticsFiles(input: DiagnosticsInput): Record<string, Uint8Array> {
  const store = input.store.available
    ? {
        available: true,
        schemaVersion: input.store.schemaVersion,
        audit: {
          ok: input.store.audit.ok,
          entries: input.store.audit.entries,
          problems: input.store.audit.problems.map((p) => ({ seq: p.seq, kind: p.kind })),
        },
        tables: input.store.tables,
        visitsByState: input.store.visitsByState,
      }
    : input.store;
  return {
    'README.txt': strToU8(README),
    'manifest.json': json({
      app: input.app,
      platform: input.platform,
      createdAt: input.createdAt.toISOString(),
      schemaVersion: input.schemaVersion,
    }),
    'settings.json': json({
      policy: input.settings
        ? { file: input.settings.policy.file, locked: input.settings.policy.locked, valid: true }
        : { valid: false, problems: input.policyProblems },
      settings: input.settings ? settingsForSupport(input.settings) : null,
    }),
    'store.json': json(store),
    'logs.jsonl': strToU8(input.logs.records.map((r) => JSON.stringify(r)).join('\n') + (input.logs.records.length ? '\n' : '')),
    'logs-summary.json': json({ lines: input.logs.records.length, unreadableLines: input.logs.unreadable }),
  };
}

/** Writes the zip to a new file (never over an existing one), readable by the user only. */
export function writeDiagnosticsBundle(file: string, input: DiagnosticsInput): number {
  const zip = zipSync(diagnosticsFiles(input), { level: 6, mtime: input.createdAt });
  writeFileSync(file, zip, { flag: 'wx', mode: 0o600 });
  return zip.length;
}

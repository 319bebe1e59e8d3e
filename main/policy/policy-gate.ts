import type { DraftingEngine, PolicyRole, SettingKey, Settings, TranscriptionEngine } from '../../shared/domain/policy.js';
import { isLoopbackUrl } from '../../shared/domain/policy.js';
import { refusedBySetting } from './errors.js';

export type EngineKind = 'transcription' | 'drafting';
export type EngineName<K extends EngineKind> = K extends 'transcription' ? TranscriptionEngine : DraftingEngine;

/** Engines that talk to an OpenAI-compatible HTTP service (everything else runs in this process). */
const REMOTE_ENGINES: ReadonlySet<string> = new Set(['openai', 'llm']);

/**
 * What services ask before they act: may this engine run, may audio leave, may this role sign.
 * Answers come from the effective settings at the moment of the call. Refusals are typed errors
 * with messages safe to show: `locked_by_policy` when IT's policy decided, `forbidden` when it was
 * the user's own setting.
 */
export interface PolicyGate {
  /**
   * Throws unless the engine may run. For `openai` / `llm`, pass the base URL it will call: it must
   * be on the allowed list, and when audio may not leave the device, transcription must stay on
   * this machine (a loopback URL). Without a URL a remote engine is assumed to leave the machine.
   */
  readonly assertEngineAllowed: <K extends EngineKind>(kind: K, engine: EngineName<K>, target?: { readonly baseUrl?: string }) => void;
  readonly audioMayLeaveDevice: () => boolean;
  readonly consentRequired: () => boolean;
  readonly maySign: (role: PolicyRole) => boolean;
  readonly assertMaySign: (role: PolicyRole) => void;
  /** Days audio is kept after the EHR confirmed the note. */
  readonly retentionDays: () => number;
  /** Throws unless this role may erase a visit's local copy (`visitErasureRoles`, empty by default). */
  readonly assertMayErase: (role: PolicyRole) => void;
  readonly webBridgeAllowed: () => boolean;
  readonly assertWebBridgeAllowed: () => void;
}

export interface PolicyGateSource {
  values(): Settings;
  isLocked(key: SettingKey): boolean;
}

/** True when `url` is the allowed base URL or below it (same origin, path at a segment boundary). */
export function isUnderBaseUrl(url: string, base: string): boolean {
  try {
    const target = new URL(url);
    const allowed = new URL(base);
    if (target.origin !== allowed.origin) return false;
    const prefix = allowed.pathname.replace(/\/+$/, '');
    return target.pathname === prefix || target.pathname.startsWith(`${prefix}/`) || prefix === '';
  } catch {
    return false;
  }
}

export function createPolicyGate(source: PolicyGateSource): PolicyGate {
  const refuse = (key: SettingKey, message: string): never => {
    throw refusedBySetting(key, message, source.isLocked(key));
  };

  return {
    assertEngineAllowed(kind, engine, target) {
      const settings = source.values();
      const listKey = kind === 'transcription' ? 'transcriptionEngines' : 'draftingEngines';
      const allowed: readonly string[] = settings[listKey];
      if (!allowed.includes(engine)) refuse(listKey, `The ${kind} engine "${engine}" may not run on this workstation`);
      if (!REMOTE_ENGINES.has(engine)) return;
      const baseUrl = target?.baseUrl;
      if (kind === 'transcription' && !settings.audioMayLeaveDevice && (baseUrl === undefined || !isLoopbackUrl(baseUrl))) {
        refuse('audioMayLeaveDevice', 'Audio may not leave this machine, so cloud transcription is turned off');
      }
      if (baseUrl !== undefined && !settings.openaiBaseUrls.some((base) => isUnderBaseUrl(baseUrl, base))) {
        refuse('openaiBaseUrls', `That ${kind} service is not on the list of allowed service addresses`);
      }
    },
    audioMayLeaveDevice: () => source.values().audioMayLeaveDevice,
    consentRequired: () => source.values().consentRequired,
    maySign: (role) => source.values().signingRoles.includes(role),
    assertMaySign(role) {
      if (!source.values().signingRoles.includes(role)) refuse('signingRoles', `The ${role} role may not sign notes on this workstation`);
    },
    retentionDays: () => source.values().audioRetentionDays,
    assertMayErase(role) {
      const allowed: readonly string[] = source.values().visitErasureRoles;
      if (!allowed.includes(role)) refuse('visitErasureRoles', `The ${role} role may not erase visits on this workstation`);
    },
    webBridgeAllowed: () => source.values().webBridgeAllowed,
    assertWebBridgeAllowed() {
      if (!source.values().webBridgeAllowed) refuse('webBridgeAllowed', 'The browser UI (scribe web) may not run on this workstation');
    },
  };
}

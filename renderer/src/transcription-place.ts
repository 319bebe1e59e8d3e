import type { SettingsView, TranscriptionEngine } from '../../shared/domain/policy.js';
import { isLoopbackUrl } from '../../shared/domain/policy.js';

export interface TranscriptionPlace {
  /** local: on this computer; cloud: audio leaves it; off: recorded only. */
  readonly kind: 'local' | 'cloud' | 'off';
  readonly headline: string;
  readonly detail: string;
}

function hostOf(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return 'an outside service';
  }
}

/**
 * Where this workstation's settings send speech for transcription. Engines are listed in order of
 * preference; the OpenAI-compatible engine counts only where policy lets audio go to its address.
 */
export function transcriptionPlace(view: SettingsView, running?: TranscriptionEngine | null): TranscriptionPlace {
  const settings = view.settings;
  const engines = settings.transcriptionEngines.value;
  const urls = settings.openaiBaseUrls.value;
  const leave = settings.audioMayLeaveDevice.value;
  const remote = urls.find((url) => !isLoopbackUrl(url));
  const loopback = urls.find((url) => isLoopbackUrl(url));
  const cloudUrl = leave ? (remote ?? loopback) : loopback;
  const cloudUsable = engines.includes('openai') && cloudUrl !== undefined;
  const cloudIsRemote = cloudUrl !== undefined && !isLoopbackUrl(cloudUrl);
  // The engine actually transcribing this visit, when one runs; otherwise the first the settings allow.
  const first = running ?? engines.find((engine) => engine === 'local' || cloudUsable);

  if (first === undefined) {
    return {
      kind: 'off',
      headline: 'Transcription is off on this workstation',
      detail: 'The audio is recorded and kept encrypted on this computer; it can be transcribed later.',
    };
  }
  if (first === 'local') {
    return {
      kind: 'local',
      headline: 'Transcribed on this computer',
      detail:
        cloudUsable && cloudIsRemote
          ? `Audio stays on this computer. Sending it to ${hostOf(cloudUrl)} happens only if someone chooses that engine for a visit.`
          : 'Audio does not leave this computer.',
    };
  }
  return cloudIsRemote
    ? {
        kind: 'cloud',
        headline: `Transcribed by a cloud service (${hostOf(cloudUrl)})`,
        detail: 'Audio leaves this computer, encrypted in transit, for transcription.',
      }
    : cloudUrl === undefined
      ? { kind: 'cloud', headline: 'Transcribed by an outside service', detail: 'Audio leaves this computer for transcription.' }
      : { kind: 'local', headline: 'Transcribed by a service on this computer', detail: 'Audio does not leave this computer.' };
}

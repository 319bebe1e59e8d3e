import type { SettingsView, TranscriptionEngine } from '../../../shared/domain/policy.js';
import { transcriptionPlace } from '../transcription-place.js';

/** Says plainly, before and during recording, whether speech is transcribed here or in the cloud. */
export function TranscriptionBanner({
  settings,
  engine,
  model,
}: {
  settings: SettingsView | undefined;
  engine?: TranscriptionEngine | null;
  model?: string | null;
}) {
  if (!settings) return null;
  const place = transcriptionPlace(settings, engine);
  const locked = settings.settings.transcriptionEngines.locked || settings.settings.audioMayLeaveDevice.locked;
  return (
    <section className={`transcription-banner transcription-banner-${place.kind}`} aria-label="Where transcription happens">
      <p className="transcription-headline">
        <span className="transcription-icon" aria-hidden="true">
          {place.kind === 'cloud' ? '☁' : place.kind === 'off' ? '○' : '⌂'}
        </span>
        {place.headline}
        {model ? <span className="transcription-model"> ({model})</span> : null}
      </p>
      <p>
        {place.detail}
        {locked ? ' Set by your organisation’s policy.' : ''}
      </p>
    </section>
  );
}

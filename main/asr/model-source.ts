import { isAbsolute } from 'node:path';
import type { Settings } from '../../shared/domain/policy.js';
import { isSecureServiceUrl } from '../../shared/domain/policy.js';
import type { SpeechModelSource } from '../../shared/domain/speech-model.js';
import type { PinnedFile, PinnedModel } from './model-manifest.js';
import { badSource, downloadsForbidden } from './model-install-errors.js';

export const PUBLIC_HUB = 'https://huggingface.co';

export type SourceSettings = Pick<Settings, 'speechModelDownloadsAllowed' | 'speechModelMirrorUrl' | 'speechModelSharedFolder'>;

/** IT's shared folder when there is one; else a download from the mirror or the hub, if downloads are allowed. */
export function configuredSource(settings: SourceSettings): SpeechModelSource {
  if (settings.speechModelSharedFolder) return { kind: 'folder', folder: settings.speechModelSharedFolder };
  if (!settings.speechModelDownloadsAllowed) return { kind: 'forbidden' };
  if (settings.speechModelMirrorUrl) return { kind: 'mirror', url: settings.speechModelMirrorUrl };
  return { kind: 'hub', url: PUBLIC_HUB };
}

/** `scribe models install --from`: a mirror URL (downloads must be allowed) or a folder holding a models folder. */
export function sourceFrom(from: string, settings: SourceSettings): SpeechModelSource {
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(from)) {
    if (!isSecureServiceUrl(from)) throw badSource(from);
    if (!settings.speechModelDownloadsAllowed) throw downloadsForbidden();
    return { kind: 'mirror', url: from };
  }
  if (!isAbsolute(from)) throw badSource(from);
  return { kind: 'folder', folder: from };
}

/** A file's address in the hub's layout, which mirrors keep: `<base>/<model>/resolve/<revision>/<file>`. */
export function fileUrl(base: string, model: PinnedModel, file: PinnedFile): string {
  return `${base.replace(/\/+$/, '')}/${model.id}/resolve/${model.revision}/${file.path}`;
}

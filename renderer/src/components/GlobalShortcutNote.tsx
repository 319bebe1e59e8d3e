import { acceleratorLabel } from '../../../shared/domain/global-shortcut.js';
import { RECORD_SHORTCUT, useApp } from '../app-context.js';
import { useGlobalShortcut } from '../hooks/useGlobalShortcut.js';

const isMac = typeof navigator !== 'undefined' && /Mac|iPhone|iPad/.test(navigator.platform);

/** Says whether the start/stop shortcut also works with another program in front; nothing outside the desktop app. */
export function GlobalShortcutNote({ className = 'muted' }: { className?: string }) {
  const { api } = useApp();
  const status = useGlobalShortcut(api);
  if (status === undefined || status.state === 'not_desktop') return null;
  const keys = status.accelerator === null ? null : <kbd>{acceleratorLabel(status.accelerator, isMac)}</kbd>;
  switch (status.state) {
    case 'registered':
      return <p className={className}>{keys} also starts and stops recording while another program, such as the EHR, is in front.</p>;
    case 'in_use':
      return (
        <p className={className} data-global-shortcut="unavailable">
          The global shortcut {keys} is unavailable (in use by another program). <kbd>{RECORD_SHORTCUT.label}</kbd> still works while
          Ambient Scribe is in front.
        </p>
      );
    case 'invalid':
      return (
        <p className={className} data-global-shortcut="unavailable">
          The global shortcut {keys} cannot be used on this computer. Choose another in Settings.
        </p>
      );
    case 'off':
      return <p className={className}>The global shortcut is off: the shortcut works only while Ambient Scribe is in front.</p>;
  }
}

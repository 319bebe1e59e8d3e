import type { ReviewShortcut } from '../../../shared/domain/review-shortcuts.js';
import { reviewShortcutLabel } from '../../../shared/domain/review-shortcuts.js';
import { RECORD_SHORTCUT } from '../app-context.js';

const isMac = typeof navigator !== 'undefined' && /Mac|iPhone|iPad/.test(navigator.platform);

const descriptions: Record<ReviewShortcut, string> = {
  nextUnsupported: 'Go to the next sentence marked unsupported',
  acceptCode: 'Accept the code that has focus (with none, go to the next suggested code)',
  openSign: 'Open the sign dialog',
};

/** The review page's keys, behind a disclosure in its action bar. */
export function ReviewShortcutsHelp() {
  return (
    <details className="shortcuts-help">
      <summary>Keyboard shortcuts</summary>
      <dl className="shortcuts-list">
        {(Object.keys(descriptions) as ReviewShortcut[]).map((action) => (
          <div key={action}>
            <dt>
              <kbd>{reviewShortcutLabel(action, isMac)}</kbd>
            </dt>
            <dd>{descriptions[action]}</dd>
          </div>
        ))}
        <div>
          <dt>
            <kbd>{RECORD_SHORTCUT.label}</kbd>
          </dt>
          <dd>Start or stop recording (any page)</dd>
        </div>
        <div>
          <dt>
            <kbd>Enter</kbd>
          </dt>
          <dd>In a sentence: add a sentence below it</dd>
        </div>
        <div>
          <dt>
            <kbd>↑</kbd> <kbd>↓</kbd>
          </dt>
          <dd>In the transcript: move between lines (Enter plays from the line)</dd>
        </div>
      </dl>
    </details>
  );
}

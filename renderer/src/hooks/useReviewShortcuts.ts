import { useEffect, useRef } from 'react';
import type { ReviewShortcut } from '../../../shared/domain/review-shortcuts.js';
import { reviewShortcutOf } from '../../../shared/domain/review-shortcuts.js';

/**
 * The review page's keys (Alt+N, Alt+A, Alt+S) while the page is open. A modal dialog (the sign
 * dialog) keeps its keys to itself.
 */
export function useReviewShortcuts(actions: Readonly<Record<ReviewShortcut, () => void>>): void {
  const latest = useRef(actions);
  useEffect(() => {
    latest.current = actions;
  });
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (event.defaultPrevented || event.isComposing) return;
      const action = reviewShortcutOf(event);
      if (!action) return;
      event.preventDefault();
      if (event.repeat || document.querySelector('dialog[open]')) return;
      latest.current[action]();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);
}

/**
 * Keys on the review page: Alt (Option on a Mac) with one letter, read from the physical key so a
 * Mac's Option characters and other keyboard layouts still match. They are not Ctrl/Cmd+Shift+Space
 * (start/stop recording), not a letter of the desktop app's menus (File, Edit, View, Window), and a
 * global shortcut may not take them (global-shortcut.ts refuses them).
 */
export const REVIEW_SHORTCUT_KEYS = { nextUnsupported: 'N', acceptCode: 'A', openSign: 'S' } as const;
export type ReviewShortcut = keyof typeof REVIEW_SHORTCUT_KEYS;

export interface KeyPress {
  readonly code: string;
  readonly altKey: boolean;
  readonly ctrlKey: boolean;
  readonly metaKey: boolean;
  readonly shiftKey: boolean;
}

const BY_CODE = new Map(Object.entries(REVIEW_SHORTCUT_KEYS).map(([action, key]) => [`Key${key}`, action as ReviewShortcut]));

/** Which review action a key press asks for, if any: Alt and the letter, nothing else held. */
export function reviewShortcutOf(press: KeyPress): ReviewShortcut | undefined {
  if (!press.altKey || press.ctrlKey || press.metaKey || press.shiftKey) return undefined;
  return BY_CODE.get(press.code);
}

/** How people read the keys: `Alt+N`, or `Option N` on a Mac. */
export function reviewShortcutLabel(action: ReviewShortcut, isMac: boolean): string {
  return isMac ? `Option ${REVIEW_SHORTCUT_KEYS[action]}` : `Alt+${REVIEW_SHORTCUT_KEYS[action]}`;
}

/** The value for aria-keyshortcuts. */
export function reviewShortcutAria(action: ReviewShortcut): string {
  return `Alt+${REVIEW_SHORTCUT_KEYS[action]}`;
}

/** True when an Electron accelerator is exactly one of the review keys (Alt or Option and the letter). */
export function isReviewShortcutAccelerator(accelerator: string): boolean {
  const parts = accelerator.split('+').map((part) => part.toLowerCase());
  if (parts.length !== 2) return false;
  const [modifier, key] = parts;
  return (
    (modifier === 'alt' || modifier === 'option') && Object.values(REVIEW_SHORTCUT_KEYS).some((letter) => letter.toLowerCase() === key)
  );
}

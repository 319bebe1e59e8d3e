import { z } from 'zod';
import { isReviewShortcutAccelerator } from './review-shortcuts.js';

/**
 * The OS-wide start/stop shortcut (Electron's globalShortcut): it works while another program,
 * usually the EHR, is in front. Its accelerator is a setting (`globalShortcut`, lockable by policy).
 */

export const DEFAULT_GLOBAL_SHORTCUT = 'CommandOrControl+Shift+Space';

const MODIFIERS = [
  'command',
  'cmd',
  'control',
  'ctrl',
  'commandorcontrol',
  'cmdorctrl',
  'alt',
  'option',
  'altgr',
  'shift',
  'super',
  'meta',
];
/** Modifiers that keep a shortcut from swallowing ordinary typing in every other program. */
const STRONG_MODIFIERS = new Set([
  'command',
  'cmd',
  'control',
  'ctrl',
  'commandorcontrol',
  'cmdorctrl',
  'alt',
  'option',
  'altgr',
  'super',
  'meta',
]);
const KEY =
  /^([A-Za-z0-9]|F([1-9]|1[0-9]|2[0-4])|Space|Tab|Backspace|Delete|Insert|Return|Enter|Up|Down|Left|Right|Home|End|PageUp|PageDown|Escape|Esc|Plus|[-=[\];',./`\\])$/i;

function acceleratorProblem(value: string): string | undefined {
  const parts = value.split('+');
  // "Plus" names the + key, so a literal + never appears as a part.
  if (parts.some((part) => part === '')) return 'must be modifiers and one key joined by +, e.g. CommandOrControl+Shift+Space';
  const key = parts.at(-1) ?? '';
  const modifiers = parts.slice(0, -1).map((part) => part.toLowerCase());
  if (!KEY.test(key)) return 'must end in one key: a letter, a digit, F1–F24, Space, or a named key such as PageUp';
  if (modifiers.some((modifier) => !MODIFIERS.includes(modifier)))
    return 'modifiers are CommandOrControl, Control, Command, Alt, Option, Shift, Super or Meta';
  if (new Set(modifiers).size !== modifiers.length) return 'must not repeat a modifier';
  if (!modifiers.some((modifier) => STRONG_MODIFIERS.has(modifier)))
    return 'must include CommandOrControl, Control, Command, Alt or Super, so it cannot take over typing in other programs';
  if (isReviewShortcutAccelerator(value)) return 'is one of the review page’s keys (Alt+N, Alt+A, Alt+S); choose another';
  return undefined;
}

/** An Electron accelerator with at least one of Ctrl/Cmd/Alt/Super: `CommandOrControl+Shift+Space`. */
export const Accelerator = z
  .string()
  .min(3)
  .max(64)
  .superRefine((value, ctx) => {
    const problem = acceleratorProblem(value);
    if (problem) ctx.addIssue({ code: 'custom', message: problem });
  });

/**
 * registered: works from any program. in_use: another program holds the accelerator (or the system
 * refused it). invalid: this system cannot use the accelerator. off: the setting is empty.
 * not_desktop: the web bridge or CLI, where there is no OS-wide shortcut.
 */
export const GlobalShortcutState = z.enum(['registered', 'in_use', 'invalid', 'off', 'not_desktop']);
export type GlobalShortcutState = z.infer<typeof GlobalShortcutState>;

export const GlobalShortcutStatus = z.object({ state: GlobalShortcutState, accelerator: z.string().nullable() });
export type GlobalShortcutStatus = z.infer<typeof GlobalShortcutStatus>;

/** What a press asks the renderer to do; never which visit or patient. */
export const ShortcutPressed = z.object({ action: z.enum(['toggleRecording']) });
export type ShortcutPressed = z.infer<typeof ShortcutPressed>;

/** How people read an accelerator: `Ctrl+Shift+Space`, or `⌘ Shift Space` on macOS. */
export function acceleratorLabel(accelerator: string, isMac: boolean): string {
  const names: Record<string, string> = isMac
    ? {
        commandorcontrol: '⌘',
        cmdorctrl: '⌘',
        command: '⌘',
        cmd: '⌘',
        control: 'Control',
        ctrl: 'Control',
        alt: 'Option',
        option: 'Option',
        super: '⌘',
        meta: '⌘',
      }
    : {
        commandorcontrol: 'Ctrl',
        cmdorctrl: 'Ctrl',
        control: 'Ctrl',
        ctrl: 'Ctrl',
        command: 'Win',
        cmd: 'Win',
        option: 'Alt',
        super: 'Win',
        meta: 'Win',
      };
  const parts = accelerator.split('+').map((part) => names[part.toLowerCase()] ?? part);
  return parts.join(isMac ? ' ' : '+');
}

import type { EventBus } from '../kernel/event-bus.js';
import type { Logger } from '../log/logger.js';
import { DEFAULT_GLOBAL_SHORTCUT } from '../../shared/domain/global-shortcut.js';
import type { GlobalShortcutStatus } from '../../shared/domain/global-shortcut.js';

/**
 * The OS-wide start/stop shortcut. A press only tells the renderer (`app:shortcut`); the renderer
 * does what the in-window shortcut does and decides whether the window must come forward:
 *
 * - a recording is running: it stops, and the window stays where it is;
 * - a visit page is open, ready to record, with consent: recording starts, the window stays behind;
 * - consent is missing, or no visit page is open: the renderer shows the consent step or the visits
 *   list and asks for the window (`app:raiseWindow`), so the clinician sees why nothing started.
 *
 * The window is never raised by main on its own, and a raise is honoured only just after a press,
 * so neither a press nor the renderer can put patient details over another program unasked.
 */

/** The parts of Electron's globalShortcut used here; structural so tests can fake it. */
export interface GlobalShortcutLike {
  register(accelerator: string, callback: () => void): boolean;
  unregister(accelerator: string): void;
  isRegistered(accelerator: string): boolean;
}

export interface GlobalShortcutOptions {
  readonly globalShortcut: GlobalShortcutLike;
  readonly events: EventBus;
  /** The `globalShortcut` setting, read at each (re)registration: null turns it off. */
  readonly accelerator: () => string | null;
  /** Shows, restores and focuses the window. */
  readonly raiseWindow: () => boolean;
  readonly logger: Logger;
  readonly now?: () => number;
}

export interface GlobalShortcut {
  status(): GlobalShortcutStatus;
  /** Raises the window if a press came within RAISE_AFTER_PRESS_MS; one raise per press. */
  raiseAfterPress(): boolean;
  /** Unregisters the accelerator and stops following the setting (on quit). */
  dispose(): void;
}

/** A held key repeats; presses closer together than this are one press. */
export const PRESS_REPEAT_MS = 500;
/** How long after a press the renderer may ask for the window. */
export const RAISE_AFTER_PRESS_MS = 5_000;

export function startGlobalShortcut(options: GlobalShortcutOptions): GlobalShortcut {
  const { globalShortcut, events, logger } = options;
  const now = options.now ?? Date.now;
  let current: GlobalShortcutStatus = { state: 'off', accelerator: null };
  let lastPressAt = Number.NEGATIVE_INFINITY;
  let raiseAllowedUntil = Number.NEGATIVE_INFINITY;
  let disposed = false;

  const onPress = () => {
    const at = now();
    const repeat = at - lastPressAt < PRESS_REPEAT_MS;
    lastPressAt = at;
    if (repeat || disposed) return;
    raiseAllowedUntil = at + RAISE_AFTER_PRESS_MS;
    events.emit('app:shortcut', { action: 'toggleRecording' });
  };

  const release = () => {
    if (current.state === 'registered' && current.accelerator !== null) globalShortcut.unregister(current.accelerator);
  };

  const apply = () => {
    const accelerator = options.accelerator();
    if (current.state === 'registered' && current.accelerator === accelerator) return;
    release();
    if (accelerator === null) {
      current = { state: 'off', accelerator: null };
      logger.info('shortcut.off');
      return;
    }
    // Whether it is the default, not the keys: the log's redaction keeps only known shapes.
    const isDefault = accelerator === DEFAULT_GLOBAL_SHORTCUT;
    let registered: boolean;
    try {
      // Electron returns false, or may report success without owning the keys, when another program holds them.
      const accepted = globalShortcut.register(accelerator, onPress);
      registered = accepted && globalShortcut.isRegistered(accelerator);
      if (accepted && !registered) globalShortcut.unregister(accelerator);
    } catch {
      // An accelerator this platform cannot parse.
      current = { state: 'invalid', accelerator };
      logger.warn('shortcut.register_failed', { reason: 'invalid', isDefault });
      return;
    }
    current = { state: registered ? 'registered' : 'in_use', accelerator };
    if (registered) logger.info('shortcut.registered', { isDefault });
    else logger.warn('shortcut.register_failed', { reason: 'in_use', isDefault });
  };

  apply();
  const unsubscribe = events.on('settings:changed', ({ keys }) => {
    if (keys.includes('globalShortcut')) apply();
  });

  return {
    status: () => ({ ...current }),
    raiseAfterPress() {
      if (disposed || now() > raiseAllowedUntil) return false;
      raiseAllowedUntil = Number.NEGATIVE_INFINITY;
      return options.raiseWindow();
    },
    dispose() {
      if (disposed) return;
      disposed = true;
      unsubscribe();
      release();
      current = { state: 'off', accelerator: null };
    },
  };
}
